/**
 * `parley janus-config`: what the files say and how the command is used. That Janus
 * accepts them is in sfu-janus.test.ts, which starts a real Janus with them.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { janusConfigCommand } from '../src/cli/janus-config.js';
import { ConfigError } from '../src/config.js';

function run(argv: string[], env: NodeJS.ProcessEnv = {}): { out: string; err: string } {
  let out = '';
  let err = '';
  janusConfigCommand(
    argv,
    env,
    (s) => (out += s),
    (s) => (err += s),
  );
  return { out, err };
}

/** The printed files by name. */
function files(out: string): Record<string, string> {
  const parts = out.split(/^# ==> (\S+) <==\n/m).slice(1);
  const result: Record<string, string> = {};
  for (let i = 0; i < parts.length; i += 2) {
    result[parts[i] as string] = parts[i + 1] as string;
  }
  return result;
}

function lines(text: string | undefined): string[] {
  return (text ?? '').split('\n').map((l) => l.trim());
}

const dirs: string[] = [];
afterEach(() => {
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

describe('parley janus-config', () => {
  it('prints the three files Janus reads, hardened', () => {
    const { out } = run(['--sfu-api-secret', 'api-s3cret', '--sfu-admin-key', 'adm1n']);
    const f = files(out);
    expect(Object.keys(f)).toEqual([
      'janus.jcfg',
      'janus.transport.websockets.jcfg',
      'janus.plugin.videoroom.jcfg',
    ]);
    const core = lines(f['janus.jcfg']);
    for (const line of [
      'api_secret = "api-s3cret"',
      'token_auth = false',
      'session_timeout = 60',
      'reclaim_session_timeout = 0',
      'hide_dependencies = true',
      'configs_folder = "/etc/janus"',
      'rtp_port_range = "20000-40000"',
      'ice_tcp = false',
      'ice_lite = false',
      'full_trickle = false',
      'broadcast = false',
      'disable = "libjanus_jsonlog.so"',
    ]) {
      expect(core).toContain(line);
    }
    expect(f['janus.jcfg']).toMatch(/^\tadmin_secret = "[0-9a-f]{64}"$/m);
    // Every plugin but the videoroom, every transport but WebSockets.
    expect(f['janus.jcfg']).toMatch(/disable = "[^"]*libjanus_streaming\.so[^"]*"/);
    expect(f['janus.jcfg']).not.toMatch(/disable = "[^"]*libjanus_videoroom\.so/);
    expect(f['janus.jcfg']).toMatch(/disable = "[^"]*libjanus_http\.so[^"]*"/);
    expect(f['janus.jcfg']).not.toMatch(/disable = "[^"]*libjanus_websockets\.so/);
    expect(core.some((l) => l.startsWith('nat_1_1_mapping') || l.startsWith('stun_server'))).toBe(
      false,
    );

    const ws = lines(f['janus.transport.websockets.jcfg']);
    for (const line of [
      'ws = true',
      'ws_ip = "127.0.0.1"',
      'ws_port = 8188',
      'ws_acl = "127."',
      'wss = false',
      'admin_ws = false',
      'admin_wss = false',
    ]) {
      expect(ws).toContain(line);
    }
    const videoroom = lines(f['janus.plugin.videoroom.jcfg']);
    expect(videoroom).toContain('admin_key = "adm1n"');
    expect(videoroom).toContain('string_ids = true');
    expect(videoroom).toContain('lock_rtp_forward = true');
    expect(f['janus.plugin.videoroom.jcfg']).not.toMatch(/^room-/m);
  });

  it('follows --sfu-url and the ICE options', () => {
    const { out, err } = run([
      '--sfu-url',
      'ws://10.0.0.5:7000',
      '--janus-api-acl',
      '10.0.0.11,10.0.0.12',
      '--janus-rtp-ports',
      '30000-30999',
      '--janus-public-ip',
      '203.0.113.7',
      '--janus-stun-server',
      'stun.example.org:3479',
      '--janus-ice-interfaces',
      'eth0',
      '--janus-ice-tcp',
      '--no-sfu-string-ids',
      '--janus-session-timeout',
      '90',
    ]);
    const f = files(out);
    const ws = lines(f['janus.transport.websockets.jcfg']);
    expect(ws).toContain('ws_ip = "10.0.0.5"');
    expect(ws).toContain('ws_port = 7000');
    expect(ws).toContain('ws_acl = "10.0.0.11,10.0.0.12"');
    const core = lines(f['janus.jcfg']);
    for (const line of [
      'rtp_port_range = "30000-30999"',
      'nat_1_1_mapping = "203.0.113.7"',
      'stun_server = "stun.example.org"',
      'stun_port = 3479',
      'ice_enforce_list = "eth0"',
      'ice_tcp = true',
      'ice_lite = true',
      'session_timeout = 90',
    ]) {
      expect(core).toContain(line);
    }
    expect(lines(f['janus.plugin.videoroom.jcfg'])).toContain('string_ids = false');
    expect(err).not.toContain('PARLEY_SFU_URL');
  });

  it('makes up the secrets it was not given and says how to hand them to Parley', () => {
    const { out, err } = run([]);
    const apiSecret = /api_secret = "([0-9a-f]{64})"/.exec(out)?.[1];
    const adminKey = /admin_key = "([0-9a-f]{64})"/.exec(out)?.[1];
    expect(apiSecret).toBeDefined();
    expect(adminKey).toBeDefined();
    expect(apiSecret).not.toBe(adminKey);
    expect(err).toContain(`PARLEY_SFU_API_SECRET=${apiSecret}`);
    expect(err).toContain(`PARLEY_SFU_ADMIN_KEY=${adminKey}`);
    expect(err).toContain('PARLEY_SFU_URL=ws://127.0.0.1:8188');
    // From the environment, like the server reads them: nothing to add.
    const fromEnv = run([], {
      PARLEY_SFU_URL: 'ws://127.0.0.1:8188',
      PARLEY_SFU_API_SECRET: 'from-env',
      PARLEY_SFU_ADMIN_KEY: 'key-env',
      PARLEY_JANUS_RTP_PORTS: '50000-50100',
    });
    expect(fromEnv.out).toContain('api_secret = "from-env"');
    expect(fromEnv.out).toContain('admin_key = "key-env"');
    expect(fromEnv.out).toContain('rtp_port_range = "50000-50100"');
    expect(fromEnv.err).toBe('');
  });

  it('writes the files with --out, secrets readable by their owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-janusconf-'));
    dirs.push(dir);
    // A file that was there keeps no looser mode.
    writeFileSync(join(dir, 'janus.jcfg'), 'old', { mode: 0o644 });
    const { out, err } = run(['--out', dir, '--sfu-api-secret', 'x', '--sfu-admin-key', 'y']);
    expect(out).toBe('');
    expect(err).toContain(`Start Janus with: janus -F ${dir}`);
    const mode = (name: string): number => statSync(join(dir, name)).mode & 0o777;
    expect(mode('janus.jcfg')).toBe(0o600);
    expect(mode('janus.plugin.videoroom.jcfg')).toBe(0o600);
    expect(mode('janus.transport.websockets.jcfg')).toBe(0o644);
    const core = readFileSync(join(dir, 'janus.jcfg'), 'utf8');
    expect(core).toContain(`configs_folder = "${dir}"`);
    expect(core).toContain('api_secret = "x"');
  });

  it('refuses what would expose the API or break the files', () => {
    const bad: Array<[string[], RegExp]> = [
      [['--sfu-url', 'ws://203.0.113.7:8188'], /public address/],
      [['--sfu-url', 'wss://10.0.0.5:8989'], /plain ws:\/\/ listener/],
      [['--sfu-url', 'ws://janus.internal:8188'], /must be a loopback or private IP address/],
      [['--janus-rtp-ports', '80-90'], /--janus-rtp-ports/],
      [['--janus-rtp-ports', '40000-30000'], /--janus-rtp-ports/],
      [['--janus-public-ip', 'my-host'], /--janus-public-ip: "my-host" is not an IP address/],
      [['--janus-stun-server', 'a b'], /--janus-stun-server/],
      [['--sfu-api-secret', 'has"quote'], /--sfu-api-secret: use printable ASCII/],
      [['--sfu-admin-key', 'has space'], /--sfu-admin-key: use printable ASCII/],
      [['--janus-session-timeout', '0'], /at least 1/],
      [['--nope'], /unknown option --nope/],
    ];
    for (const [argv, message] of bad) {
      expect(() => run(argv), argv.join(' ')).toThrow(ConfigError);
      expect(() => run(argv), argv.join(' ')).toThrow(message);
    }
  });

  it('warns about a private API without an ACL and a session timeout under the keepalive', () => {
    const { err } = run(['--sfu-url', 'ws://192.168.1.5:8188', '--janus-session-timeout', '10']);
    expect(err).toContain('--janus-api-acl');
    expect(err).toContain('a session timeout of 10 s is shorter');
  });

  it('has its own --help', () => {
    const { out } = run(['--help']);
    expect(out).toMatch(/^Usage: parley janus-config \[options\]/);
    for (const flag of ['--out', '--janus-rtp-ports', '--janus-public-ip', '--sfu-url']) {
      expect(out).toContain(flag);
    }
  });
});
