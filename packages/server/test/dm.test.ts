import { expect, it } from 'vitest';
import type { Contact, DirectMessage } from '@parley/protocol';
import type { Tab } from './accounts-harness.js';
import { api, befriend, pause, signUp, serverWithTabs, type TestUser } from './accounts-harness.js';
import { describeDeployments } from './store-backends.js';

describeDeployments('direct messages', (backend) => {
  const env = serverWithTabs(() => backend.options());
  const tab = (user?: TestUser): Promise<Tab> => env.tab(user);

  it('delivers to every tab of both users, once, even when the sender retries', async () => {
    const a = await signUp(env.server, 'dma');
    const b = await signUp(env.server, 'dmb');
    await befriend(env.server, a, b);
    const [ta1, ta2, tb] = [await tab(a), await tab(a), await tab(b)];
    const send = { type: 'dm-send', to: b.id, clientId: 'c-1', text: 'hello b' };
    const ack = await ta1.request(send);
    expect(ack).toMatchObject({
      type: 'dm-sent',
      message: { from: a.id, to: b.id, text: 'hello b', clientId: 'c-1' },
    });
    expect(await tb.next('dm')).toMatchObject({
      message: { id: (ack.message as DirectMessage).id },
    });
    expect(await ta2.next('dm')).toMatchObject({ message: { text: 'hello b' } });
    // A resend after a lost ack: same stored message, no second delivery.
    const again = await ta1.request(send);
    expect((again.message as DirectMessage).id).toBe((ack.message as DirectMessage).id);
    await pause(100);
    expect(tb.all('dm')).toHaveLength(1);
  });

  it('keeps history with paging and counts unread per contact', async () => {
    const a = await signUp(env.server, 'hist');
    const b = await signUp(env.server, 'hist');
    await befriend(env.server, a, b);
    const ta = await tab(a);
    const tb = await tab(b);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const ack = await ta.request({
        type: 'dm-send',
        to: b.id,
        clientId: `m${i}`,
        text: `msg ${i}`,
      });
      ids.push((ack.message as DirectMessage).id);
    }
    const page = await api<{ messages: DirectMessage[]; hasMore: boolean }>(
      env.server,
      'GET',
      `/api/dm/${a.id}?limit=3`,
      { cookie: b.cookie },
    );
    expect(page.body.messages.map((m) => m.text)).toEqual(['msg 2', 'msg 3', 'msg 4']);
    expect(page.body.hasMore).toBe(true);
    const older = await api<{ messages: DirectMessage[]; hasMore: boolean }>(
      env.server,
      'GET',
      `/api/dm/${a.id}?limit=3&before=${page.body.messages[0]?.id}`,
      { cookie: b.cookie },
    );
    expect(older.body.messages.map((m) => m.text)).toEqual(['msg 0', 'msg 1']);
    expect(older.body.hasMore).toBe(false);

    const contacts = await api<{ contacts: Contact[] }>(env.server, 'GET', '/api/contacts', {
      cookie: b.cookie,
    });
    expect(contacts.body.contacts[0]).toMatchObject({ user: { id: a.id }, unread: 5 });
    const read = await tb.request({ type: 'dm-read', with: a.id, upTo: ids[2] });
    expect(read).toMatchObject({ type: 'dm-unread', with: a.id, unread: 2 });
    // Read marks never move back.
    expect(await tb.request({ type: 'dm-read', with: a.id, upTo: ids[0] })).toMatchObject({
      unread: 2,
    });
    const after = await api<{ contacts: Contact[] }>(env.server, 'GET', '/api/contacts', {
      cookie: b.cookie,
    });
    expect(after.body.contacts[0]?.unread).toBe(2);
    // The sender's own messages are never unread for them.
    const mine = await api<{ contacts: Contact[] }>(env.server, 'GET', '/api/contacts', {
      cookie: a.cookie,
    });
    expect(mine.body.contacts[0]?.unread).toBe(0);
  });

  it('refuses strangers and blocked users, and validates text', async () => {
    const a = await signUp(env.server, 'st');
    const b = await signUp(env.server, 'st');
    const ta = await tab(a);
    expect(
      await ta.request({ type: 'dm-send', to: b.id, clientId: 'x', text: 'hi' }),
    ).toMatchObject({ code: 'not_contact' });
    await befriend(env.server, a, b);
    // Invalid frames are refused at the edge (before their rid is read).
    for (const text of ['   ', 'x'.repeat(4001)]) {
      ta.send({ type: 'dm-send', to: b.id, clientId: 'y', text });
      expect(
        await ta.next('error', (m) => m.of === 'dm-send' && m.code === 'bad_message'),
      ).toBeTruthy();
    }
    await api(env.server, 'POST', `/api/contacts/${a.id}/block`, { cookie: b.cookie });
    expect(
      await ta.request({ type: 'dm-send', to: b.id, clientId: 'w', text: 'hi' }),
    ).toMatchObject({ code: 'not_contact' });
  });
});
