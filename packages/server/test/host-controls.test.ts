import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ServerMessage } from '@parley/protocol';
import type { ParleyServer } from '../src/app.js';
import { startServer, TestClient } from './helpers.js';
import { describeDeployments } from './store-backends.js';

type Joined = Extract<ServerMessage, { type: 'joined' }>;
type Err = Extract<ServerMessage, { type: 'error' }>;

/**
 * Room access control and host controls (#13 part 6), on one node and on two (clients
 * alternate between the nodes, so a host and the person they act on are on different
 * nodes and every decision crosses the bus).
 */
describeDeployments('host controls', (backend) => {
  let server: ParleyServer;
  const clients: TestClient[] = [];
  async function client(): Promise<TestClient> {
    const c = await TestClient.connect(server);
    clients.push(c);
    return c;
  }
  let rid = 0;
  /** Send a join (with access fields) and resolve with what answered its rid. */
  function join(
    c: TestClient,
    room: string,
    name: string,
    extra: object = {},
  ): Promise<ServerMessage> {
    const id = `j${++rid}`;
    const answer = new Promise<ServerMessage>((resolve, reject) => {
      Promise.race([
        c.next('joined', (m) => m.rid === id),
        c.next('error', (m) => m.rid === id),
        c.next('lobby-waiting', (m) => m.rid === id),
      ]).then(resolve, reject);
    });
    c.send({ type: 'join', room, name, media: { audio: true, video: true }, rid: id, ...extra });
    return answer;
  }
  /** Send a host request and resolve with the error that answers it. */
  function refused(c: TestClient, message: object): Promise<Err> {
    const id = `h${++rid}`;
    const err = c.next('error', (m) => m.rid === id);
    c.send({ ...message, rid: id });
    return err;
  }
  async function hosted(room: string): Promise<{ host: TestClient; joined: Joined }> {
    const host = await client();
    const joined = (await join(host, room, 'Hana')) as Joined;
    return { host, joined };
  }
  async function settings(host: TestClient, s: object): Promise<void> {
    const id = `s${++rid}`;
    const done = host.next('room-access', (m) => m.rid === id);
    host.send({ type: 'room-settings', ...s, rid: id });
    await done;
  }

  beforeEach(async () => {
    server = await startServer({ ...backend.options(), maxRoomSize: 6, lobbyMax: 2 });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) {
      c.close();
    }
    await server.close();
  });

  it('makes the creator host with a host key; later joiners see who hosts', async () => {
    const { joined } = await hosted('h1');
    expect(joined.type).toBe('joined');
    expect(joined.host).toBe(joined.self);
    expect(joined.hostKey).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(joined.access).toEqual({ locked: false, lobby: false, password: false });
    const b = (await join(await client(), 'h1', 'Ben')) as Joined;
    expect(b.host).toBe(joined.self);
    expect(b.hostKey).toBeUndefined();
  });

  it('a password room refuses no password and a wrong one, and admits the right one', async () => {
    const { host } = await hosted('pw');
    const guest = await client();
    const seen = guest.next('room-access');
    const other = (await join(guest, 'pw', 'Gus')) as Joined;
    expect(other.type).toBe('joined');
    await settings(host, { password: 'open sesame' });
    expect((await seen).access).toEqual({ locked: false, lobby: false, password: true });
    const c = await client();
    expect(((await join(c, 'pw', 'Cy')) as Err).code).toBe('password_required');
    expect(((await join(c, 'pw', 'Cy', { password: 'open sesame!' })) as Err).code).toBe(
      'wrong_password',
    );
    const ok = (await join(c, 'pw', 'Cy', { password: 'open sesame' })) as Joined;
    expect(ok.type).toBe('joined');
    expect(ok.access?.password).toBe(true);
  });

  it('limits wrong passwords per room and address', async () => {
    await server.close();
    server = await startServer({ ...backend.options(), roomPasswordAttempts: 3 });
    const { host } = await hosted('pw2');
    await settings(host, { password: 'right' });
    const c = await client();
    for (let i = 0; i < 3; i++) {
      expect(((await join(c, 'pw2', 'Cy', { password: 'wrong' })) as Err).code).toBe(
        'wrong_password',
      );
    }
    // The fourth try is refused before the password is even looked at, right or not.
    expect(((await join(c, 'pw2', 'Cy', { password: 'right' })) as Err).code).toBe('rate_limited');
  });

  it('a locked room refuses newcomers but not its host coming back with the key', async () => {
    const { host, joined } = await hosted('lock');
    const b = await client();
    await join(b, 'lock', 'Ben');
    await settings(host, { locked: true });
    expect(((await join(await client(), 'lock', 'Eve')) as Err).code).toBe('room_locked');
    // The host reloads: the old seat goes, host passes to Ben; the key takes it back.
    const handed = b.next('host-changed');
    host.close();
    const handover = await handed;
    expect(handover.host).not.toBe(joined.self);
    expect(handover.hostKey).toBeDefined();
    const back = await client();
    const reclaimed = b.next('host-changed');
    const j = (await join(back, 'lock', 'Hana', { hostKey: joined.hostKey })) as Joined;
    expect(j.type).toBe('joined');
    expect(j.host).toBe(j.self);
    expect((await reclaimed).host).toBe(j.self);
  });

  it('the lobby holds a newcomer, without chat history, until the host admits them', async () => {
    const { host } = await hosted('lob');
    host.send({ type: 'chat-send', clientId: 'c-2', text: 'secret plans' });
    await host.next('chat-message');
    await settings(host, { lobby: true });
    const w = await client();
    const knock = host.next('lobby');
    const waiting = await join(w, 'lob', 'Walt');
    expect(waiting.type).toBe('lobby-waiting');
    const list = await knock;
    expect(list.waiters.map((x) => x.name)).toEqual(['Walt']);
    // Waiting is not being in the room: no history, no chat, no signals.
    await w.settle();
    expect(w.count('chat-history')).toBe(0);
    expect((await refused(w, { type: 'chat-history', beforeSeq: 1 })).code).toBe('not_joined');
    expect(w.count('joined')).toBe(0);
    // Only this room's host answers its lobby: the host of another room reaches nobody here.
    const x = await client();
    await join(x, 'lob2', 'Xena');
    const notHost = await refused(x, {
      type: 'lobby-answer',
      waiter: list.waiters[0]?.id,
      admit: true,
    });
    expect(notHost.code).toBe('unknown_waiter');
    const history = w.next('chat-history');
    const admitted = w.next('joined');
    host.send({ type: 'lobby-answer', waiter: list.waiters[0]?.id, admit: true });
    expect((await admitted).room).toBe('lob');
    expect((await history).messages.map((m) => m.text)).toEqual(['secret plans']);
    expect(
      ((await refused(host, { type: 'lobby-answer', waiter: 'nobody', admit: true })) as Err).code,
    ).toBe('unknown_waiter');
  });

  it('the host can turn a waiter away; the lobby has a size limit', async () => {
    const { host } = await hosted('lob3');
    await settings(host, { lobby: true });
    const [w1, w2, w3] = [await client(), await client(), await client()];
    const knock = host.next('lobby', (m) => m.waiters.length === 2);
    expect((await join(w1, 'lob3', 'One')).type).toBe('lobby-waiting');
    expect((await join(w2, 'lob3', 'Two')).type).toBe('lobby-waiting');
    expect(((await join(w3, 'lob3', 'Three')) as Err).code).toBe('lobby_full');
    const list = await knock;
    const denied = w1.next('error', (m) => m.code === 'lobby_denied');
    host.send({ type: 'lobby-answer', waiter: list.waiters[0]?.id, admit: false });
    expect((await denied).of).toBe('join');
    // Leaving the lobby takes you off the host's list.
    const emptied = host.next('lobby', (m) => m.waiters.length === 0);
    w2.send({ type: 'leave' });
    await emptied;
  });

  it('asks to mute, removes, and refuses all of it from a non-host with nothing changed', async () => {
    const { host, joined } = await hosted('mod');
    const b = await client();
    const c = await client();
    const jb = (await join(b, 'mod', 'Ben')) as Joined;
    const jc = (await join(c, 'mod', 'Cy')) as Joined;
    // Ben is not the host: every host control is refused and nothing happens.
    for (const m of [
      { type: 'mute-request', peer: jc.self },
      { type: 'remove-peer', peer: jc.self },
      { type: 'room-settings', locked: true },
      { type: 'end-room' },
      { type: 'lobby-answer', waiter: 'w', admit: true },
    ]) {
      expect((await refused(b, m)).code).toBe('not_host');
    }
    await c.settle();
    expect(c.count('mute-requested') + c.count('room-closed')).toBe(0);
    expect(((await join(await client(), 'mod', 'Dee')) as Joined).type).toBe('joined');
    // Bad input: an unknown peer, the host itself, a malformed request.
    expect((await refused(host, { type: 'remove-peer', peer: 'nobody' })).code).toBe(
      'unknown_peer',
    );
    expect((await refused(host, { type: 'mute-request', peer: joined.self })).code).toBe(
      'unknown_peer',
    );
    expect((await refused(host, { type: 'room-settings', password: '' })).code).toBe('bad_message');
    expect((await refused(host, { type: 'room-settings', locked: 'yes' })).code).toBe(
      'bad_message',
    );
    // The host asks Cy to mute.
    const asked = c.next('mute-requested');
    host.send({ type: 'mute-request', peer: jc.self });
    expect((await asked).by).toBe(joined.self);
    // The host removes Ben: Ben is told, everyone else sees Ben leave.
    const closed = b.next('room-closed');
    const gone = c.next('peer-left', (m) => m.peerId === jb.self);
    host.send({ type: 'remove-peer', peer: jb.self });
    expect((await closed).reason).toBe('removed');
    expect((await gone).reason).toBe('removed');
    // Ben has no seat any more: nothing of the room reaches or leaves him.
    expect((await refused(b, { type: 'chat-send', clientId: 'c-1', text: 'hi' })).code).toBe(
      'not_joined',
    );
  });

  it('ends the room for everyone, including the lobby; the room name starts fresh after', async () => {
    const { host } = await hosted('end');
    const b = await client();
    await join(b, 'end', 'Ben');
    await settings(host, { lobby: true, password: 'pw' });
    const w = await client();
    expect((await join(w, 'end', 'Walt', { password: 'pw' })).type).toBe('lobby-waiting');
    const closed = [host, b, w].map((c) => c.next('room-closed'));
    host.send({ type: 'end-room' });
    for (const m of await Promise.all(closed)) {
      expect(m.reason).toBe('ended');
    }
    // Everyone is out; the next to come creates the room anew, with no password.
    const again = (await join(await client(), 'end', 'New')) as Joined;
    expect(again.peers).toEqual([]);
    expect(again.host).toBe(again.self);
    expect(again.access).toEqual({ locked: false, lobby: false, password: false });
  });

  it('passes host to the longest-present participant when the host leaves', async () => {
    const { host } = await hosted('hand');
    const [b, c] = [await client(), await client()];
    const jb = (await join(b, 'hand', 'Ben')) as Joined;
    await join(c, 'hand', 'Cy');
    const told = c.next('host-changed');
    const mine = b.next('host-changed');
    host.send({ type: 'leave' });
    expect((await told).host).toBe(jb.self);
    expect((await told).hostKey).toBeUndefined();
    expect((await mine).hostKey).toBeDefined();
    // Ben is the host now: his controls work.
    const access = c.next('room-access');
    b.send({ type: 'room-settings', locked: true });
    expect((await access).access.locked).toBe(true);
  });

  it('a private pair room has no host', async () => {
    const a = await client();
    expect((await refused(a, { type: 'end-room' })).code).toBe('not_joined');
  });
});
