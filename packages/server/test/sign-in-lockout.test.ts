import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ParleyServer } from '../src/app.js';
import { api, signUp, startServer } from './accounts-harness.js';
import { describeDeployments } from './store-backends.js';

const PW = 'correct horse battery';

/** A sign-in as if from `address` (the test server trusts loopback as its proxy). */
function signIn(
  server: ParleyServer,
  username: string,
  password: string,
  address: string,
  device?: string,
) {
  return api(server, 'POST', '/api/session', {
    body: { username, password },
    headers: { 'x-forwarded-for': address, ...(device ? { cookie: device } : {}) },
  });
}

/** `parley_device=…` from a Set-Cookie header. */
function deviceFrom(setCookie: string | null): string {
  const m = /parley_device=([^;]+)/.exec(setCookie ?? '');
  if (!m) {
    throw new Error(`no device cookie in ${setCookie}`);
  }
  return `parley_device=${m[1]}`;
}

/**
 * Issue #13: ten wrong passwords from anywhere locked the real owner out. Failures now
 * count per account and address, a total over all addresses bounds spread-out guessing,
 * and a browser that signed in before is exempt from both.
 */
describeDeployments('sign-in lockout', (backend) => {
  let server: ParleyServer;
  beforeAll(async () => {
    server = await startServer(backend.options(), {
      trustedProxies: ['127.0.0.1', '::1'],
      signInMaxPerAccount: 3,
      signInMaxPerAccountTotal: 6,
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it("a stranger's failures lock out only the stranger's address", async () => {
    const owner = await signUp(server, 'owner');
    for (let i = 0; i < 3; i++) {
      expect((await signIn(server, owner.username, 'wrong guess', '203.0.113.5')).status).toBe(401);
    }
    const stranger = await signIn(server, owner.username, PW, '203.0.113.5');
    expect(stranger.status).toBe(429);
    expect(stranger.body).toMatchObject({ error: { code: 'rate_limited' } });
    // The owner, elsewhere, without a device cookie: still in.
    expect((await signIn(server, owner.username, PW, '198.51.100.7')).status).toBe(200);
  });

  it('guessing spread over many addresses stops new browsers, never a known one', async () => {
    const owner = await signUp(server, 'known');
    const first = await signIn(server, owner.username, PW, '198.51.100.7');
    expect(first.status).toBe(200);
    const device = deviceFrom(first.setCookie);
    expect(first.setCookie).toMatch(
      /parley_device=[^;]+; Path=\/api\/session; HttpOnly; SameSite=Strict/,
    );
    // Every try from a browser the account does not know counts, its first sign-in too.
    for (let i = 0; i < 5; i++) {
      const r = await signIn(server, owner.username, 'wrong guess', `203.0.113.${10 + i}`);
      expect(r.status).toBe(401);
    }
    // A browser the account does not know, from a fresh address: over the total.
    expect((await signIn(server, owner.username, PW, '192.0.2.99')).status).toBe(429);
    // The owner's browser: in, from any address.
    const again = await signIn(server, owner.username, PW, '192.0.2.100', device);
    expect(again.status).toBe(200);
    // A device cookie of another account does not count as known for this one.
    const other = await signUp(server, 'other');
    const otherDevice = deviceFrom(
      (await signIn(server, other.username, PW, '198.51.100.8')).setCookie,
    );
    expect((await signIn(server, owner.username, PW, '192.0.2.101', otherDevice)).status).toBe(429);
  });

  it('limits user lookups per signed-in user (username enumeration)', async () => {
    const limited = await startServer(backend.options(), {
      userLookupsPerMinute: 3,
      // A second server beside the suite's: node ids of its own (a node id is a lease).
      nodeId: 'lookups',
    });
    try {
      const a = await signUp(limited, 'looker');
      const b = await signUp(limited, 'lookee');
      for (const name of [b.username, 'nobody_1', 'nobody_2']) {
        const r = await api(limited, 'GET', `/api/users/${name}`, { cookie: a.cookie });
        expect([200, 404]).toContain(r.status);
      }
      const over = await api(limited, 'GET', `/api/users/${b.username}`, { cookie: a.cookie });
      expect(over.status).toBe(429);
      expect(over.body).toMatchObject({ error: { code: 'rate_limited' } });
      // Someone else's lookups are their own.
      const c = await signUp(limited, 'other_looker');
      expect(
        (await api(limited, 'GET', `/api/users/${b.username}`, { cookie: c.cookie })).status,
      ).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
