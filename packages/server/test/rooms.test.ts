import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ParleyServer } from '../src/app.js';
import { startServer, TestClient } from './helpers.js';
import { describeDeployments } from './store-backends.js';

/**
 * Rooms over real WebSockets, on one node and on two (where the clients of a test
 * alternate between the nodes, so every join, signal and leave crosses the bus).
 */
describeDeployments('rooms', (backend) => {
  let server: ParleyServer;
  const clients: TestClient[] = [];
  async function client(hello = true): Promise<TestClient> {
    const c = await TestClient.connect(server, hello);
    clients.push(c);
    return c;
  }
  beforeEach(async () => {
    server = await startServer({ ...backend.options(), maxRoomSize: 3, maxMessageBytes: 4096 });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) {
      c.close();
    }
    await server.close();
  });

  it('join returns the peers already present; others get peer-joined', async () => {
    const a = await client();
    const b = await client();
    const ja = await a.join('r', 'Ana');
    expect(ja.peers).toEqual([]);
    expect(ja.maxPeers).toBe(3);
    const joinedB = a.next('peer-joined');
    const jb = await b.join('r', '  Ben  ');
    expect(jb.peers).toEqual([{ id: ja.self, name: 'Ana', media: { audio: true, video: true } }]);
    expect((await joinedB).peer).toEqual({
      id: jb.self,
      name: 'Ben',
      media: { audio: true, video: true },
    });
    expect(ja.self).not.toBe(jb.self);
  });

  it('delivers signal only to its target, stamped with the sender', async () => {
    const [a, b, c] = [await client(), await client(), await client()];
    const ja = await a.join('t', 'A');
    const jb = await b.join('t', 'B');
    await c.join('t', 'C');
    // A client may not say who it is (nor smuggle other fields): refused, nothing forwarded.
    for (const extra of [{ from: 'spoofed' }, { rid: 'r1' }, { name: 'Mallory' }]) {
      const err = a.next('error');
      a.send({ type: 'signal', to: jb.self, ...extra, description: { type: 'offer', sdp: 'v=0' } });
      expect((await err).code).toBe('bad_message');
    }
    await b.settle();
    expect(b.count('signal')).toBe(0);
    // The server stamps the sender.
    const got = b.next('signal');
    a.sendRaw(
      `  {"type":"signal","to":${JSON.stringify(jb.self)},"description":{"type":"offer","sdp":"v=0"}}`,
    );
    expect(await got).toEqual({
      type: 'signal',
      from: ja.self,
      to: jb.self,
      description: { type: 'offer', sdp: 'v=0' },
    });
    await c.settle();
    expect(c.count('signal')).toBe(0);
  });

  it('keeps rooms isolated: no message crosses between rooms', async () => {
    const [a, b, x, y] = [await client(), await client(), await client(), await client()];
    await a.join('one', 'A');
    await b.join('one', 'B');
    const jx = await x.join('two', 'X');
    await y.join('two', 'Y');
    const err = a.next('error');
    a.send({ type: 'signal', to: jx.self, candidate: { candidate: 'c' } });
    expect((await err).code).toBe('unknown_peer');
    a.send({ type: 'media-state', media: { audio: false, video: false } });
    await b.next('peer-media-state');
    await x.settle();
    await y.settle();
    for (const c of [x, y]) {
      expect(
        c.received.filter((m) => m.type === 'peer-media-state' || m.type === 'signal'),
      ).toEqual([]);
      expect(
        c.received
          .filter((m) => m.type === 'peer-joined')
          .map((m) => m.type === 'peer-joined' && m.peer.name),
      ).not.toContain('A');
    }
  });

  it('broadcasts media state to the others, not back to the sender', async () => {
    const a = await client();
    const b = await client();
    const ja = await a.join('m', 'A');
    await b.join('m', 'B');
    const got = b.next('peer-media-state');
    a.send({ type: 'media-state', media: { audio: false, video: true } });
    expect(await got).toEqual({
      type: 'peer-media-state',
      from: ja.self,
      media: { audio: false, video: true },
    });
    await a.settle();
    expect(a.count('peer-media-state')).toBe(0);
    // A newcomer sees the current state.
    const c = await client();
    const jc = await c.join('m', 'C');
    expect(jc.peers.find((p) => p.id === ja.self)?.media).toEqual({ audio: false, video: true });
  });

  it('a raised hand and a recording reach everyone, late joiners too; bad flags are refused', async () => {
    const a = await client();
    const b = await client();
    const ja = await a.join('h', 'A');
    await b.join('h', 'B');
    const raised = { audio: true, video: true, hand: true, recording: true };
    const got = b.next('peer-media-state');
    a.send({ type: 'media-state', media: raised });
    expect(await got).toEqual({ type: 'peer-media-state', from: ja.self, media: raised });
    // Someone who joins later (on the other node, with two) sees the hand and the recording.
    const c = await client();
    const jc = await c.join('h', 'C');
    expect(jc.peers.find((p) => p.id === ja.self)?.media).toEqual(raised);
    // A flag of the wrong type, or one the protocol does not know: refused, nothing forwarded.
    for (const media of [
      { audio: true, video: true, hand: 'yes' },
      { audio: true, video: true, sparkle: true },
    ]) {
      const err = a.next('error');
      a.send({ type: 'media-state', media });
      expect(await err).toMatchObject({ code: 'bad_message', of: 'media-state' });
    }
    await b.settle();
    expect(b.count('peer-media-state')).toBe(1);
    // Lowering the hand and stopping the recording is the same message.
    const lowered = b.next('peer-media-state');
    a.send({ type: 'media-state', media: { audio: true, video: true } });
    expect((await lowered).media).toEqual({ audio: true, video: true });
  });

  it('leave tells the others and frees the seat; leave when not joined is an error', async () => {
    const a = await client();
    const b = await client();
    const ja = await a.join('l', 'A');
    await b.join('l', 'B');
    const left = b.next('peer-left');
    a.send({ type: 'leave', rid: 'bye' });
    expect(await a.next('left')).toMatchObject({ room: 'l', rid: 'bye' });
    expect(await left).toEqual({ type: 'peer-left', peerId: ja.self, reason: 'left' });
    const err = a.next('error');
    a.send({ type: 'leave' });
    expect((await err).code).toBe('not_joined');
    // And may join again, with a new peer id.
    const again = await a.join('l', 'A');
    expect(again.self).not.toBe(ja.self);
  });

  it('a clean close is announced at once as left', async () => {
    const a = await client();
    const b = await client();
    const ja = await a.join('c', 'A');
    await b.join('c', 'B');
    const left = b.next('peer-left');
    a.close();
    expect(await left).toEqual({ type: 'peer-left', peerId: ja.self, reason: 'left' });
    expect((await server.shared.rooms.members('c')).map((m) => m.name)).toEqual(['B']);
  });

  it('joins racing for the last seats: exactly the room size get in, the rest hear room_full', async () => {
    const racers = await Promise.all(Array.from({ length: 8 }, () => client()));
    const outcomes = await Promise.all(
      racers.map((c, i) => {
        const reply = Promise.race([c.next('joined'), c.next('error')]);
        c.send({ type: 'join', room: 'race', name: `R${i}`, media: { audio: true, video: true } });
        return reply;
      }),
    );
    expect(outcomes.filter((m) => m.type === 'joined')).toHaveLength(3);
    const refused = outcomes.filter((m) => m.type === 'error');
    expect(refused).toHaveLength(5);
    expect(refused.every((m) => m.type === 'error' && m.code === 'room_full')).toBe(true);
    expect(await server.shared.rooms.members('race')).toHaveLength(3);
  });
});
