import { afterEach, describe, expect, it } from 'vitest';
import type { ParleyServer } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { api, startServer } from './accounts-harness.js';

const PW = 'correct horse battery';
const MEMORY = { dataDir: ':memory:' };

let server: ParleyServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** A failed sign-in as if sent through a proxy for `client`, over HTTPS at the proxy. */
function signInFrom(s: ParleyServer, client: string) {
  return api(s, 'POST', '/api/session', {
    body: { username: 'someone', password: 'wrong password' },
    headers: { 'x-forwarded-for': client, 'x-forwarded-proto': 'https' },
  });
}

describe('behind a reverse proxy (--trusted-proxies)', () => {
  it('limits sign-in per forwarded client address, not per proxy', async () => {
    server = await startServer(MEMORY, {
      trustedProxies: ['127.0.0.1'],
      signInMaxPerIp: 2,
      signInMaxPerAccount: 100,
    });
    expect((await signInFrom(server, '203.0.113.7')).status).toBe(401);
    expect((await signInFrom(server, '203.0.113.7')).status).toBe(401);
    const blocked = await signInFrom(server, '203.0.113.7');
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ error: { code: 'rate_limited' } });
    // Someone else behind the same proxy still gets their own attempts.
    expect((await signInFrom(server, '198.51.100.20')).status).toBe(401);
  });

  it('marks the cookie Secure when the proxy says the client came over HTTPS', async () => {
    server = await startServer(MEMORY, { trustedProxies: ['loopback'] });
    const res = await api(server, 'POST', '/api/accounts', {
      body: { username: 'proxied', password: PW },
      headers: { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' },
    });
    expect(res.status).toBe(201);
    expect(res.setCookie).toMatch(/; Secure/);
  });

  it('ignores X-Forwarded-* from anyone not listed, so a client cannot pick its address', async () => {
    server = await startServer(MEMORY, {
      signInMaxPerIp: 2,
      signInMaxPerAccount: 100,
    });
    expect((await signInFrom(server, '203.0.113.7')).status).toBe(401);
    expect((await signInFrom(server, '203.0.113.8')).status).toBe(401);
    // A third forwarded address does not buy more attempts: the socket address counts.
    expect((await signInFrom(server, '203.0.113.9')).status).toBe(429);
    const res = await api(server, 'POST', '/api/accounts', {
      body: { username: 'direct', password: PW },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(res.status).toBe(201);
    expect(res.setCookie).not.toMatch(/Secure/);
  });

  it('refuses an entry that is not an address, a range or a named range', () => {
    for (const bad of ['proxy.example', '10.0.0.0/33', '::1/129', '10.0.0.1/8/8', 'true']) {
      expect(() => loadConfig([], {}, { trustedProxies: [bad] }), bad).toThrow(ConfigError);
    }
    expect(
      loadConfig([], { PARLEY_TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8,uniquelocal' })
        .trustedProxies,
    ).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'uniquelocal']);
  });
});
