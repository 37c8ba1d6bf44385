import { request } from 'node:https';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '@parley/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ParleyServer } from '../src/app.js';
import { api, cookieFrom, signUp, startServer, Tab } from './accounts-harness.js';
import { describeDeployments, describeBackends } from './store-backends.js';
import { selfSignedCert } from './tls.js';

const PW = 'correct horse battery';

describeDeployments('accounts', (backend) => {
  let server: ParleyServer;
  const tabs: Tab[] = [];
  beforeAll(async () => {
    server = await startServer(backend.options(), { signInMaxPerAccount: 3 });
  });
  afterAll(async () => {
    await Promise.all(tabs.map((t) => t.close()));
    await server.close();
  });

  it('registers, sets a hardened session cookie, and knows who is signed in', async () => {
    const res = await api<{ user: { id: string; username: string } }>(
      server,
      'POST',
      '/api/accounts',
      {
        body: { username: 'Grace.Hopper', password: PW },
      },
    );
    expect(res.status).toBe(201);
    expect(res.body.user.username).toBe('grace.hopper');
    expect(res.setCookie).toMatch(/HttpOnly/);
    expect(res.setCookie).toMatch(/SameSite=Lax/);
    expect(res.setCookie).not.toMatch(/Secure/); // plain HTTP in this test
    const me = await api(server, 'GET', '/api/session', { cookie: cookieFrom(res.setCookie) });
    expect(me.body).toEqual({ user: res.body.user });
  });

  it('enforces the username rules, case-insensitively unique', async () => {
    for (const username of ['ab', 'x'.repeat(33), 'has space', 'émile', 'semi;colon']) {
      const res = await api(server, 'POST', '/api/accounts', { body: { username, password: PW } });
      expect(res.status, username).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'bad_message' } });
    }
    expect(
      (await api(server, 'POST', '/api/accounts', { body: { username: 'Ada_L', password: PW } }))
        .status,
    ).toBe(201);
    const dup = await api(server, 'POST', '/api/accounts', {
      body: { username: 'ADA_l', password: PW },
    });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ error: { code: 'username_taken' } });
    const short = await api(server, 'POST', '/api/accounts', {
      body: { username: 'shortpw', password: '1234567' },
    });
    expect(short.status).toBe(400);
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const u = await signUp(server, 'same');
    const wrong = await api(server, 'POST', '/api/session', {
      body: { username: u.username, password: 'wrong password' },
    });
    const unknown = await api(server, 'POST', '/api/session', {
      body: { username: 'nobody_here', password: 'wrong password' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.setCookie).toBeNull();
    const ok = await api(server, 'POST', '/api/session', {
      body: { username: u.username.toUpperCase(), password: PW },
    });
    expect(ok.status).toBe(200);
  });

  it('rate-limits sign-in per account, whether the account exists or not', async () => {
    const u = await signUp(server, 'limited');
    for (const name of [u.username, 'ghost_account']) {
      for (let i = 0; i < 3; i++) {
        expect(
          (
            await api(server, 'POST', '/api/session', {
              body: { username: name, password: 'nope nope' },
            })
          ).status,
        ).toBe(401);
      }
      const blocked = await api(server, 'POST', '/api/session', {
        body: { username: name, password: PW },
      });
      expect(blocked.status).toBe(429);
      expect(blocked.body).toMatchObject({ error: { code: 'rate_limited' } });
    }
  });

  it('signs out server-side: the cookie stops working, and so does its WebSocket', async () => {
    const a = await signUp(server, 'out');
    const b = await signUp(server, 'peer');
    const tab = await Tab.open(server, a.cookie);
    tabs.push(tab);
    const res = await api(server, 'DELETE', '/api/session', { cookie: a.cookie });
    expect(res.status).toBe(204);
    expect(res.setCookie).toMatch(/Max-Age=0/);
    expect(await tab.next('signed-out')).toEqual({ type: 'signed-out', reason: 'revoked' });
    expect((await api(server, 'GET', '/api/session', { cookie: a.cookie })).status).toBe(401);
    expect(await tab.request({ type: 'call-invite', to: b.id, media: 'audio' })).toMatchObject({
      type: 'error',
      code: 'unauthenticated',
    });
  });

  it('changes the password and signs out every other session', async () => {
    const u = await signUp(server, 'pw');
    const other = cookieFrom(
      (await api(server, 'POST', '/api/session', { body: { username: u.username, password: PW } }))
        .setCookie,
    );
    const bad = await api(server, 'POST', '/api/account/password', {
      cookie: u.cookie,
      body: { currentPassword: 'not it at all', newPassword: 'a new password' },
    });
    expect(bad.status).toBe(401);
    const ok = await api(server, 'POST', '/api/account/password', {
      cookie: u.cookie,
      body: { currentPassword: PW, newPassword: 'a new password' },
    });
    expect(ok.status).toBe(204);
    expect((await api(server, 'GET', '/api/session', { cookie: u.cookie })).status).toBe(200);
    expect((await api(server, 'GET', '/api/session', { cookie: other })).status).toBe(401);
    expect(
      (await api(server, 'POST', '/api/session', { body: { username: u.username, password: PW } }))
        .status,
    ).toBe(401);
    expect(
      (
        await api(server, 'POST', '/api/session', {
          body: { username: u.username, password: 'a new password' },
        })
      ).status,
    ).toBe(200);
  });

  it('needs the session cookie for every account API, and refuses a forged one', async () => {
    const forged = 'parley_session=' + 'A'.repeat(43);
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/session'],
      ['DELETE', '/api/session'],
      ['POST', '/api/account/password', { currentPassword: PW, newPassword: 'whatever123' }],
      ['GET', '/api/users/someone'],
      ['GET', '/api/contacts'],
      ['POST', '/api/contacts/requests', { username: 'someone' }],
      ['POST', '/api/contacts/x/accept'],
      ['POST', '/api/contacts/x/block'],
      ['POST', '/api/contacts/x/unblock'],
      ['DELETE', '/api/contacts/x'],
      ['GET', '/api/calls'],
      ['POST', '/api/calls/seen'],
      ['GET', '/api/dm/x'],
    ];
    for (const cookie of [undefined, forged]) {
      for (const [method, path, body] of routes) {
        const res = await api(server, method, path, { cookie, ...(body ? { body } : {}) });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.body).toMatchObject({ error: { code: 'unauthenticated' } });
      }
    }
  });

  it('refuses the cookie when another site opens the socket or posts', async () => {
    const u = await signUp(server, 'csrf');
    const other = await signUp(server, 'peer');
    const evil = new WebSocket(`${server.wsUrl}?account=1`, {
      headers: { cookie: u.cookie, origin: 'https://evil.example' },
    });
    const first = new Promise<{ type: string; code?: string }>((resolve, reject) => {
      evil.on('open', () => {
        evil.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION }));
        evil.send(JSON.stringify({ type: 'call-invite', to: other.id, media: 'audio' }));
      });
      evil.on('message', (d) => {
        const m = JSON.parse(String(d)) as { type: string; code?: string };
        if (m.type === 'error') {
          resolve(m);
        }
      });
      evil.on('error', reject);
    });
    expect(await first).toMatchObject({ code: 'unauthenticated' });
    evil.close();
    const post = await api(server, 'POST', '/api/contacts/requests', {
      cookie: u.cookie,
      body: { username: other.username },
      headers: { origin: 'https://evil.example' },
    });
    expect(post.status).toBe(403);
    // The app's own pages are fine.
    const own = await api(server, 'POST', '/api/contacts/requests', {
      cookie: u.cookie,
      body: { username: other.username },
      headers: { origin: server.url },
    });
    expect(own.status).toBe(200);
  });

  it('signs a socket in only when it asks for its account', async () => {
    const u = await signUp(server, 'plain');
    const other = await signUp(server, 'other');
    const plain = new WebSocket(server.wsUrl, { headers: { cookie: u.cookie } });
    const reply = new Promise<{ type: string; code?: string }>((resolve, reject) => {
      plain.on('open', () => {
        plain.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION }));
        plain.send(JSON.stringify({ type: 'call-invite', to: other.id, media: 'audio' }));
      });
      plain.on('message', (d) => {
        const m = JSON.parse(String(d)) as { type: string; code?: string };
        if (m.type === 'error') {
          resolve(m);
        }
      });
      plain.on('error', reject);
    });
    expect(await reply).toMatchObject({ code: 'unauthenticated' });
    plain.close();
  });

  it('lets guests use the WebSocket for rooms but not for account features', async () => {
    const guest = await Tab.open(server);
    tabs.push(guest);
    const joined = await guest.request({
      type: 'join',
      room: 'open-room',
      name: 'Guest',
      media: { audio: true, video: true },
    });
    expect(joined.type).toBe('joined');
    for (const msg of [
      { type: 'call-invite', to: 'x', media: 'audio' },
      { type: 'dm-send', to: 'x', clientId: 'c1', text: 'hi' },
      { type: 'dm-read', with: 'x', upTo: 1 },
    ]) {
      expect(await guest.request(msg)).toMatchObject({ type: 'error', code: 'unauthenticated' });
    }
  });
});

describeBackends('accounts over HTTPS', (backend) => {
  it('marks the session cookie Secure', async () => {
    const { cert, key } = selfSignedCert();
    const server = await startServer(backend.options(), { cert, key });
    try {
      const setCookie = await new Promise<string>((resolve, reject) => {
        const req = request(
          `${server.url}/api/accounts`,
          {
            method: 'POST',
            rejectUnauthorized: false,
            headers: { 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            resolve(String(res.headers['set-cookie'] ?? ''));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ username: 'secure_one', password: PW }));
      });
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Lax/);
      expect(setCookie).toMatch(/; Secure/);
    } finally {
      await server.close();
    }
  });
});
