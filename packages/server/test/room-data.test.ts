import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ParleyServer } from '../src/app.js';
import { startServer, TestClient } from './helpers.js';
import { describeDeployments } from './store-backends.js';

const MAX = 24 * 1024;
const RATE = 40_000;

/**
 * Room data through the server (`room-data`: reactions and files in SFU rooms), on one
 * node and on two, where the clients of a test alternate between the nodes so that
 * every frame between two of them crosses the bus.
 */
describeDeployments('room data', (backend) => {
  let server: ParleyServer;
  const clients: TestClient[] = [];
  async function client(): Promise<TestClient> {
    const c = await TestClient.connect(server);
    clients.push(c);
    return c;
  }
  /** `n` clients seated in `room`, with their peer ids. */
  async function seated(room: string, n: number) {
    const out: Array<{ c: TestClient; id: string }> = [];
    for (let i = 0; i < n; i++) {
      const c = await client();
      out.push({ c, id: (await c.join(room, `P${i}`)).self });
    }
    return out;
  }
  beforeEach(async () => {
    server = await startServer({
      ...backend.options(),
      maxRoomSize: 5,
      roomDataMaxBytes: MAX,
      roomDataRate: RATE,
    });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) {
      c.close();
    }
    await server.close();
  });

  it('tells its limits in joined, and forwards to one or to all with the sender stamped', async () => {
    const c = await client();
    const joined = await c.join('lim', 'L');
    expect(joined.dataLimits).toEqual({ maxBytes: MAX, bytesPerSecond: RATE });
    const [a, b, d] = await seated('r', 3);
    const toB = b.c.next('room-data');
    a.c.send({ type: 'room-data', to: b.id, data: 'AAH+/w==', binary: true });
    expect(await toB).toEqual({
      type: 'room-data',
      from: a.id,
      to: b.id,
      data: 'AAH+/w==',
      binary: true,
    });
    const all = [b.c.next('room-data'), d.c.next('room-data')];
    a.c.send({ type: 'room-data', data: '{"ns":"reaction","emoji":"🎉"}' });
    for (const got of await Promise.all(all)) {
      expect(got).toEqual({
        type: 'room-data',
        from: a.id,
        data: '{"ns":"reaction","emoji":"🎉"}',
      });
    }
    // Not to the sender, not to the one it was not for, and no `from` of the client's own.
    await Promise.all([a.c.settle(), d.c.settle()]);
    expect(a.c.count('room-data')).toBe(0);
    expect(d.c.count('room-data')).toBe(1);
    const forged = a.c.next('error');
    a.c.send({ type: 'room-data', from: d.id, data: 'x' });
    expect((await forged).code).toBe('bad_message');
  });

  it('keeps a stream in order, open to close, to its one participant', async () => {
    const [a, b, d] = await seated('s', 3);
    const stream = { id: 'f1' };
    a.c.send({
      type: 'room-data',
      to: b.id,
      stream: { ...stream, op: 'open', label: 'parley-file:1' },
    });
    for (let i = 0; i < 30; i++) {
      a.c.send({
        type: 'room-data',
        to: b.id,
        data: String(i),
        stream: { ...stream, op: 'message' },
      });
    }
    const closed = b.c.next('room-data', (m) => m.stream?.op === 'close');
    a.c.send({ type: 'room-data', to: b.id, stream: { ...stream, op: 'close' } });
    await closed;
    const got = b.c.received.flatMap((m) => (m.type === 'room-data' ? [m] : []));
    expect(got[0]).toMatchObject({
      from: a.id,
      stream: { id: 'f1', op: 'open', label: 'parley-file:1' },
    });
    expect(got.slice(1, -1).map((m) => m.data)).toEqual(
      Array.from({ length: 30 }, (_, i) => String(i)),
    );
    await d.c.settle();
    expect(d.c.count('room-data')).toBe(0);
  });

  it('refuses a target in another room and a sender without a seat, forwarding nothing', async () => {
    const [a] = await seated('one', 1);
    const [x, y] = await seated('two', 2);
    const err = a.c.next('error');
    a.c.send({ type: 'room-data', to: x.id, data: 'hello?', rid: 'r1' });
    expect(await err).toMatchObject({ code: 'unknown_peer', of: 'room-data', rid: 'r1' });
    const self = a.c.next('error');
    a.c.send({ type: 'room-data', to: a.id, data: 'me' });
    expect((await self).code).toBe('unknown_peer');
    const loner = await client();
    const notJoined = loner.next('error');
    loner.send({ type: 'room-data', data: 'anyone?' });
    expect((await notJoined).code).toBe('not_joined');
    // A broadcast reaches its own room only.
    const inTwo = y.c.next('room-data');
    x.c.send({ type: 'room-data', data: 'two only' });
    expect((await inTwo).data).toBe('two only');
    await Promise.all([x.c.settle(), y.c.settle(), a.c.settle()]);
    expect(x.c.count('room-data') + a.c.count('room-data')).toBe(0);
  });

  it('refuses a frame over the size limit and data over the rate, while the rest goes on', async () => {
    const [a, b, d, e] = await seated('big', 5);
    const tooBig = a.c.next('error');
    a.c.send({ type: 'room-data', to: b.id, data: 'x'.repeat(MAX + 1) });
    expect(await tooBig).toMatchObject({ code: 'too_large', of: 'room-data' });
    // UTF-8 bytes count: 6,145 four-byte emoji are over 24 KiB in fewer characters.
    const tooBigUtf8 = a.c.next('error');
    a.c.send({ type: 'room-data', to: b.id, data: '🎉'.repeat(6145) });
    expect((await tooBigUtf8).code).toBe('too_large');
    // The connection is open and its next frame goes through.
    const ok = b.c.next('room-data');
    a.c.send({ type: 'room-data', to: b.id, data: 'z'.repeat(MAX) });
    expect((await ok).data).toHaveLength(MAX);

    // The bucket holds two seconds (80,000 bytes): a broadcast costs its size times the
    // four others, more than the bucket can ever hold.
    const limited = a.c.next('error', (m) => m.code === 'rate_limited');
    a.c.send({ type: 'room-data', data: 'y'.repeat(MAX) });
    expect((await limited).of).toBe('room-data');
    await b.c.settle();
    expect(b.c.received.filter((m) => m.type === 'room-data' && m.data.startsWith('y'))).toEqual(
      [],
    );
    // Ten frames to one at once are 245,760 bytes: some are refused, the rest delivered.
    const before = a.c.count('error');
    for (let i = 0; i < 10; i++) {
      a.c.send({ type: 'room-data', to: b.id, data: String(i % 10).repeat(MAX) });
    }
    await a.c.settle();
    await b.c.settle();
    const delivered = b.c.received.filter((m) => m.type === 'room-data' && m.data.length === MAX);
    expect(delivered.length - 1).toBeGreaterThanOrEqual(1);
    expect(delivered.length - 1).toBeLessThan(10);
    expect(a.c.count('error') - before).toBeGreaterThanOrEqual(1);

    // Meanwhile another connection in the room, and the limited one's seat, are fine.
    const fromD = e.c.next('room-data');
    d.c.send({ type: 'room-data', to: e.id, data: 'still here' });
    expect(await fromD).toMatchObject({ from: d.id, data: 'still here' });
    expect(a.c.ws.readyState).toBe(a.c.ws.OPEN);
    const later = b.c.next('room-data', (m) => m.data === 'small', 10_000);
    a.c.send({ type: 'room-data', to: b.id, data: 'small' });
    await later;
  });
});
