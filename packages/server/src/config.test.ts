import { describe, expect, it } from 'vitest';
import { ConfigError, helpText, loadConfig, optionSpecs } from './config.js';

describe('config', () => {
  it('has laptop defaults', () => {
    const c = loadConfig();
    expect(c.port).toBe(3000);
    expect(c.dataDir).toBe('./data');
    expect(c.maxRoomSize).toBe(6);
    expect(c.maxMessageBytes).toBe(65536);
    expect(c.stunUrls).toEqual([]);
  });

  it('reads PARLEY_* variables, and flags win over them', () => {
    const env = {
      PARLEY_PORT: '4000',
      PARLEY_DATA_DIR: '/tmp/x',
      PARLEY_STUN_URLS: 'stun:a:3478, stun:b:3478',
    };
    expect(loadConfig([], env)).toMatchObject({
      port: 4000,
      dataDir: '/tmp/x',
      stunUrls: ['stun:a:3478', 'stun:b:3478'],
    });
    expect(loadConfig(['--port', '5000'], env).port).toBe(5000);
    expect(loadConfig(['--port=5001'], env).port).toBe(5001);
    expect(loadConfig(['--max-room-size', '4']).maxRoomSize).toBe(4);
  });

  it('explains bad values', () => {
    expect(() => loadConfig(['--port', 'abc'])).toThrow(
      new ConfigError('--port: expected a whole number, got "abc"'),
    );
    expect(() => loadConfig(['--max-room-size', '1'])).toThrow(/at least 2/);
    expect(() => loadConfig(['--nope'])).toThrow(/unknown option --nope/);
    expect(() => loadConfig(['--port'])).toThrow(/needs a value/);
    expect(() => loadConfig(['--cert', 'a.pem'])).toThrow(/--cert and --key go together/);
    expect(() => loadConfig(['--turn-urls', 'turn:x'])).toThrow(/needs --turn-secret/);
    // Room data rides in WebSocket frames: its largest payload must fit in one.
    expect(() =>
      loadConfig(['--room-data-max-bytes', '65536', '--max-message-bytes', '65536']),
    ).toThrow(/--room-data-max-bytes \(65536\) plus 1024 bytes .* must fit in --max-message-bytes/);
    expect(
      loadConfig(['--room-data-max-bytes', '65536', '--max-message-bytes', '70000'])
        .roomDataMaxBytes,
    ).toBe(65536);
    expect(() => loadConfig(['--room-data-max-bytes', '1000'])).toThrow(/at least 24576/);
    // Not given: it takes what a small frame leaves.
    expect(loadConfig(['--max-message-bytes', '4096']).roomDataMaxBytes).toBe(3072);
    expect(loadConfig([]).roomDataMaxBytes).toBe(32 * 1024);
  });

  it('--help lists every option with its variable and never prints secrets', () => {
    const text = helpText();
    for (const spec of Object.values(optionSpecs)) {
      expect(text).toContain(spec.env);
    }
    expect(text).toContain('--max-room-size');
    expect(text).toContain('--data-dir');
  });
});

describe('SFU options', () => {
  it('default to mesh only, with a mesh of up to four', () => {
    const c = loadConfig();
    expect(c.sfuUrl).toBeUndefined();
    expect(c.meshMax).toBe(4);
    expect(c.sfuStringIds).toBe(true);
  });

  it('read the Janus URL, its secrets and the mesh size from flags and environment', () => {
    const c = loadConfig(['--sfu-url', 'ws://127.0.0.1:8188', '--mesh-max', '3'], {
      PARLEY_SFU_API_SECRET: 'api',
      PARLEY_SFU_ADMIN_KEY: 'admin',
      PARLEY_SFU_STRING_IDS: 'false',
    });
    expect(c).toMatchObject({
      sfuUrl: 'ws://127.0.0.1:8188',
      sfuApiSecret: 'api',
      sfuAdminKey: 'admin',
      sfuStringIds: false,
      meshMax: 3,
    });
    for (const url of [
      'ws://localhost:8188',
      'ws://10.1.2.3:8188',
      'wss://172.20.0.5:8989',
      'ws://192.168.1.9:8188',
      'ws://[::1]:8188',
      'ws://[fd00::5]:8188',
      'ws://janus.internal:8188',
    ]) {
      expect(loadConfig(['--sfu-url', url]).sfuUrl).toBe(url);
    }
  });

  it('refuse a Janus API on a public address, other schemes and credentials in the URL', () => {
    expect(() => loadConfig(['--sfu-url', 'ws://203.0.113.7:8188'])).toThrow(
      new ConfigError(
        '--sfu-url: 203.0.113.7 is a public address; the Janus API must stay on loopback or a ' +
          'private network (only its media ports face the internet)',
      ),
    );
    expect(() => loadConfig(['--sfu-url', 'ws://[2001:db8::1]:8188'])).toThrow(/public address/);
    expect(() => loadConfig(['--sfu-url', 'http://127.0.0.1:8088/janus'])).toThrow(
      /expected a ws:\/\/ or wss:\/\/ URL/,
    );
    expect(() => loadConfig(['--sfu-url', 'ws://u:p@127.0.0.1:8188'])).toThrow(/--sfu-api-secret/);
    expect(() => loadConfig(['--sfu-url', 'janus'])).toThrow(/not a URL/);
    expect(() => loadConfig(['--mesh-max', '1'])).toThrow(/--mesh-max: must be at least 2/);
  });

  it('let rooms take 50 with an SFU unless --max-room-size is given, 6 without', () => {
    expect(loadConfig().maxRoomSize).toBe(6);
    expect(loadConfig(['--sfu-url', 'ws://127.0.0.1:8188']).maxRoomSize).toBe(50);
    expect(loadConfig([], { PARLEY_SFU_URL: 'ws://127.0.0.1:8188' }).maxRoomSize).toBe(50);
    expect(
      loadConfig(['--sfu-url', 'ws://127.0.0.1:8188', '--max-room-size', '6']).maxRoomSize,
    ).toBe(6);
    expect(
      loadConfig(['--sfu-url=ws://127.0.0.1:8188'], { PARLEY_MAX_ROOM_SIZE: '12' }).maxRoomSize,
    ).toBe(12);
    expect(loadConfig([], {}, { sfuUrl: 'ws://127.0.0.1:8188', maxRoomSize: 8 }).maxRoomSize).toBe(
      8,
    );
    // --mesh-max past the mesh-only default is fine once rooms may take 50.
    expect(loadConfig(['--sfu-url', 'ws://127.0.0.1:8188', '--mesh-max', '8']).meshMax).toBe(8);
  });

  it('keep the mesh below the room size when an SFU is configured', () => {
    expect(() =>
      loadConfig(['--sfu-url', 'ws://127.0.0.1:8188', '--mesh-max', '6', '--max-room-size', '6']),
    ).toThrow(/--mesh-max \(6\) must be below --max-room-size \(6\)/);
    // Without an SFU the mesh size is unused, so it constrains nothing yet.
    expect(loadConfig(['--mesh-max', '8']).meshMax).toBe(8);
  });

  it('are secrets where they hold one (not shown by --help or in docs/CONFIG.md)', () => {
    expect(optionSpecs.sfuApiSecret.secret).toBe(true);
    expect(optionSpecs.sfuAdminKey.secret).toBe(true);
  });
});

describe('docs/CONFIG.md', () => {
  it('documents every option (regenerate with scripts/config-doc.mjs)', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../../docs/CONFIG.md', import.meta.url), 'utf8');
    for (const [name, spec] of Object.entries(optionSpecs)) {
      expect(doc, name).toContain(`\`${spec.env}\``);
    }
  });
});
