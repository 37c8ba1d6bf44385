import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfiguredIceServers, mintTurnCredential } from './ice-servers.js';
import { refreshDelayMs } from './ice-refresher.js';

const base = {
  stunUrls: [] as string[],
  turnUrls: [] as string[],
  turnSecret: undefined as string | undefined,
  turnUsername: undefined as string | undefined,
  turnPassword: undefined as string | undefined,
  turnTtl: 600,
};

describe('mintTurnCredential', () => {
  it('follows the coturn REST scheme: expiry:session, base64 HMAC-SHA1 of the username', () => {
    const now = Date.UTC(2026, 0, 1);
    const c = mintTurnCredential('s3cret', 'sess1', 600, now);
    expect(c.username).toBe(`${now / 1000 + 600}:sess1`);
    // An independent computation of the same HMAC (as coturn does it).
    expect(c.credential).toBe(createHmac('sha1', 's3cret').update(c.username).digest('base64'));
    expect(c.expiresAt).toBe(now + 600_000);
    expect(mintTurnCredential('other', 'sess1', 600, now).credential).not.toBe(c.credential);
  });
});

describe('ConfiguredIceServers', () => {
  it('gives nothing without configuration (host candidates only)', () => {
    expect(new ConfiguredIceServers(base).grant('s')).toEqual({ iceServers: [] });
  });

  it('mints per-session TURN credentials and never includes the secret', () => {
    const ice = new ConfiguredIceServers({
      ...base,
      stunUrls: ['stun:stun.example.org:3478'],
      turnUrls: ['turn:turn.example.org:3478'],
      turnSecret: 'top-secret-value',
    });
    const a = ice.grant('session-a');
    const b = ice.grant('session-b');
    expect(a.iceServers[0]).toEqual({ urls: ['stun:stun.example.org:3478'] });
    expect(a.iceServers[1]?.username).toMatch(/^\d+:session-a$/);
    expect(b.iceServers[1]?.credential).not.toBe(a.iceServers[1]?.credential);
    expect(JSON.stringify(a)).not.toContain('top-secret-value');
    expect(a.expiresAt).toBeGreaterThan(Date.now() + 590_000);
  });

  it('passes static credentials through without an expiry', () => {
    const ice = new ConfiguredIceServers({
      ...base,
      turnUrls: ['turns:relay.example.com:443'],
      turnUsername: 'u',
      turnPassword: 'p',
    });
    expect(ice.grant('x')).toEqual({
      iceServers: [{ urls: ['turns:relay.example.com:443'], username: 'u', credential: 'p' }],
    });
  });
});

describe('refreshDelayMs', () => {
  it('refreshes at three quarters of the remaining lifetime, never in under a second', () => {
    expect(refreshDelayMs(100_000, 0)).toBe(75_000);
    expect(refreshDelayMs(500, 0)).toBe(1000);
    expect(refreshDelayMs(-5, 0)).toBe(1000);
    // A year-long TTL must not overflow Node's 32-bit timer into "fire now".
    expect(refreshDelayMs(365 * 86400_000, 0)).toBe(2 ** 31 - 1);
  });
});
