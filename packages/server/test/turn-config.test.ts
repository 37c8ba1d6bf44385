import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTurnConfig, parseTurnUrl, turnConfigCommand } from '../src/cli/turn-config.js';
import { loadConfig } from '../src/config.js';
import { TURNSERVER, startCoturn } from '../../../e2e/fixtures/coturn.js';

const urls = [
  'turn:turn.example.org:3478?transport=udp',
  'turns:turn.example.org:5349?transport=tcp',
];

function generate(extra: string[] = []): string {
  const config = loadConfig(
    ['--turn-secret', 'abc123', '--turn-urls', urls.join(','), ...extra],
    {},
  );
  return buildTurnConfig({ ...config, turnSecret: 'abc123' });
}

describe('TURN-related options', () => {
  it('validates the relay policy', () => {
    expect(() => loadConfig(['--ice-transport-policy', 'sometimes'], {})).toThrow(
      /"all" or "relay"/,
    );
    expect(() => loadConfig(['--ice-transport-policy', 'relay'], {})).toThrow(/needs --turn-urls/);
    const ok = loadConfig(
      ['--ice-transport-policy', 'relay', '--turn-urls', urls[0]!, '--turn-secret', 's'],
      {},
    );
    expect(ok.iceTransportPolicy).toBe('relay');
  });
});

describe('parley turn-config', () => {
  it('parses TURN URLs with default ports', () => {
    expect(parseTurnUrl('turn:h:3479?transport=tcp')).toEqual({
      host: 'h',
      port: 3479,
      secure: false,
    });
    expect(parseTurnUrl('turns:[2001:db8::1]')).toEqual({
      host: '2001:db8::1',
      port: 5349,
      secure: true,
    });
    expect(parseTurnUrl('stun:h')).toBeNull();
  });

  it('matches the server settings and is hardened', () => {
    const text = generate(['--turn-realm', 'calls.example.org', '--turn-user-quota', '7']);
    const lines = text.split('\n');
    for (const line of [
      'use-auth-secret',
      'static-auth-secret=abc123',
      'realm=calls.example.org',
      'listening-port=3478',
      'tls-listening-port=5349',
      'user-quota=7',
      'no-multicast-peers',
      'no-tcp-relay',
      'cert=/etc/letsencrypt/live/turn.example.org/fullchain.pem',
    ]) {
      expect(lines).toContain(line);
    }
    // TURN over TCP stays on (coturn serves TCP on listening-port unless told no-tcp).
    expect(lines).not.toContain('no-tcp');
    expect(lines).not.toContain('no-tls');
    expect(text).not.toMatch(/allow-loopback-peers/);
    const denied = lines.filter((l) => l.startsWith('denied-peer-ip=')).map((l) => l.slice(15));
    for (const range of [
      '127.0.0.0-127.255.255.255',
      '10.0.0.0-10.255.255.255',
      '172.16.0.0-172.31.255.255',
      '192.168.0.0-192.168.255.255',
      '169.254.0.0-169.254.255.255',
      '224.0.0.0-239.255.255.255',
      '::-::1',
      '::ffff:0.0.0.0-::ffff:255.255.255.255',
      'fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      'fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      'ff00::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ]) {
      expect(denied).toContain(range);
    }
  });

  it('makes up a secret when none is given and says how to hand it to Parley', () => {
    let out = '';
    let err = '';
    turnConfigCommand(
      ['--turn-urls', urls.join(',')],
      {},
      (s) => (out += s),
      (s) => (err += s),
    );
    const secret = /static-auth-secret=([0-9a-f]{64})/.exec(out)?.[1];
    expect(secret).toBeDefined();
    expect(err).toContain(`PARLEY_TURN_SECRET=${secret}`);
    // The environment variable is honoured like the flag.
    out = '';
    turnConfigCommand(
      [],
      { PARLEY_TURN_SECRET: 'from-env' },
      (s) => (out += s),
      () => {},
    );
    expect(out).toContain('static-auth-secret=from-env');
  });

  it('is accepted by the real coturn and denies loopback peers', async (ctx) => {
    if (!existsSync(TURNSERVER)) {
      if (process.env.CI === 'true') {
        throw new Error(`CI: turnserver not found at ${TURNSERVER} (apt-get install coturn)`);
      }
      console.warn(`SKIPPED: turnserver not found at ${TURNSERVER}`);
      ctx.skip();
    }
    const dir = mkdtempSync(join(tmpdir(), 'parley-turnconf-'));
    // The certificate paths point at Let's Encrypt; the test runs without TLS.
    const file = join(dir, 'turnserver.conf');
    writeFileSync(
      file,
      generate()
        .split('\n')
        .filter((l) => !/^(cert|pkey|log-file)=/.test(l))
        .join('\n'),
    );
    const turn = await startCoturn({ configFile: file });
    try {
      const log = turn.log();
      expect(log).not.toMatch(/Bad configuration format|CONFIG ERROR|Unknown argument/i);
      expect(log).toContain('Black listing: 127.0.0.0-127.255.255.255');
      expect(log).toContain('Black listing: ::ffff:0.0.0.0-::ffff:255.255.255.255');
    } finally {
      await turn.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
