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

describe('docs/CONFIG.md', () => {
  it('documents every option (regenerate with scripts/config-doc.mjs)', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../../docs/CONFIG.md', import.meta.url), 'utf8');
    for (const [name, spec] of Object.entries(optionSpecs)) {
      expect(doc, name).toContain(`\`${spec.env}\``);
    }
  });
});
