import { expect, it } from 'vitest';
import type { Contact } from '@parley/protocol';
import type { Tab } from './accounts-harness.js';
import { api, befriend, pause, signUp, serverWithTabs, type TestUser } from './accounts-harness.js';
import { describeDeployments } from './store-backends.js';

describeDeployments('contacts and presence', (backend) => {
  const env = serverWithTabs(() => backend.options());
  const tab = (user?: TestUser): Promise<Tab> => env.tab(user);
  const list = async (u: TestUser): Promise<Contact[]> =>
    (await api<{ contacts: Contact[] }>(env.server, 'GET', '/api/contacts', { cookie: u.cookie }))
      .body.contacts;

  it('finds users by username, case-insensitively', async () => {
    const a = await signUp(env.server, 'find');
    const b = await signUp(env.server, 'found');
    const res = await api(env.server, 'GET', `/api/users/${b.username.toUpperCase()}`, {
      cookie: a.cookie,
    });
    expect(res.body).toEqual({ user: { id: b.id, username: b.username } });
    const missing = await api(env.server, 'GET', '/api/users/no_such_user', { cookie: a.cookie });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'unknown_user' } });
  });

  it('request, live update, accept: both see each other as accepted', async () => {
    const a = await signUp(env.server, 'req');
    const b = await signUp(env.server, 'acc');
    const tb = await tab(b);
    const sent = await api(env.server, 'POST', '/api/contacts/requests', {
      cookie: a.cookie,
      body: { username: b.username },
    });
    expect(sent.body).toMatchObject({ contact: { status: 'outgoing', user: { id: b.id } } });
    expect(await tb.next('contact-update')).toMatchObject({
      userId: a.id,
      contact: { status: 'incoming' },
    });
    expect(await list(b)).toMatchObject([{ user: { id: a.id }, status: 'incoming' }]);
    const accepted = await api(env.server, 'POST', `/api/contacts/${a.id}/accept`, {
      cookie: b.cookie,
    });
    expect(accepted.body).toMatchObject({ contact: { status: 'accepted' } });
    expect(await list(a)).toMatchObject([
      { user: { id: b.id }, status: 'accepted', presence: 'online' },
    ]);
  });

  it('cannot accept a request that was never made (no forged relations)', async () => {
    const a = await signUp(env.server, 'forge');
    const b = await signUp(env.server, 'victim');
    const res = await api(env.server, 'POST', `/api/contacts/${b.id}/accept`, { cookie: a.cookie });
    expect(res.status).toBe(409);
    expect(await list(a)).toEqual([]);
    expect(await list(b)).toEqual([]);
  });

  it('decline and remove take both sides away', async () => {
    const a = await signUp(env.server, 'dec');
    const b = await signUp(env.server, 'dec');
    await api(env.server, 'POST', '/api/contacts/requests', {
      cookie: a.cookie,
      body: { username: b.username },
    });
    expect(
      (await api(env.server, 'DELETE', `/api/contacts/${a.id}`, { cookie: b.cookie })).status,
    ).toBe(204);
    expect(await list(a)).toEqual([]);
    expect(await list(b)).toEqual([]);
    await befriend(env.server, a, b);
    await api(env.server, 'DELETE', `/api/contacts/${b.id}`, { cookie: a.cookie });
    expect(await list(b)).toEqual([]);
  });

  it('a block is private: the blocked user’s new requests vanish', async () => {
    const a = await signUp(env.server, 'blk');
    const b = await signUp(env.server, 'blk');
    await befriend(env.server, a, b);
    const blocked = await api(env.server, 'POST', `/api/contacts/${b.id}/block`, {
      cookie: a.cookie,
    });
    expect(blocked.body).toMatchObject({ contact: { status: 'blocked' } });
    expect(await list(b)).toEqual([]);
    const again = await api(env.server, 'POST', '/api/contacts/requests', {
      cookie: b.cookie,
      body: { username: a.username },
    });
    expect(again.body).toMatchObject({ contact: { status: 'outgoing' } });
    expect(await list(a)).toMatchObject([{ user: { id: b.id }, status: 'blocked' }]);
    expect(
      (await api(env.server, 'POST', `/api/contacts/${b.id}/unblock`, { cookie: a.cookie })).status,
    ).toBe(204);
    expect(await list(a)).toEqual([]);
  });

  it('presence across tabs: online, in a call, offline', async () => {
    const a = await signUp(env.server, 'pa');
    const b = await signUp(env.server, 'pb');
    await befriend(env.server, a, b);
    const ta = await tab(a);
    expect((await list(a))[0]?.presence).toBe('offline');
    const tb1 = await tab(b);
    expect(await ta.next('presence')).toEqual({
      type: 'presence',
      userId: b.id,
      presence: 'online',
    });
    const tb2 = await tab(b);
    await tb1.close();
    await pause(100);
    // One tab of b is still open: no offline.
    expect(ta.all('presence')).toHaveLength(1);
    expect((await list(a))[0]?.presence).toBe('online');

    const ring = await ta.request({ type: 'call-invite', to: b.id, media: 'audio' });
    await tb2.next('call-incoming');
    await tb2.request({ type: 'call-accept', callId: ring.callId });
    expect(await ta.next('presence', (m) => m.userId === b.id)).toMatchObject({
      presence: 'in_call',
    });
    expect((await list(a))[0]?.presence).toBe('in_call');
    await tb2.request({ type: 'call-end', callId: ring.callId });
    expect(await ta.next('presence', (m) => m.userId === b.id)).toMatchObject({
      presence: 'online',
    });
    await tb2.close();
    expect(await ta.next('presence', (m) => m.userId === b.id)).toMatchObject({
      presence: 'offline',
    });
  });
});
