import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParleyServer } from '../src/app.js';
import { startServer, TestClient } from './helpers.js';

let server: ParleyServer;
const clients: TestClient[] = [];
async function client(hello = true): Promise<TestClient> {
  const c = await TestClient.connect(server, hello);
  clients.push(c);
  return c;
}

beforeEach(async () => {
  server = await startServer({ maxRoomSize: 3, maxMessageBytes: 4096 });
});
afterEach(async () => {
  for (const c of clients.splice(0)) {
    c.close();
  }
  await server.close();
});

describe('handshake', () => {
  it('answers hello with welcome carrying a session, resume token and limits', async () => {
    const c = await client(false);
    c.send({ type: 'hello', v: 1, rid: 'h1' });
    const welcome = await c.next('welcome');
    expect(welcome.v).toBe(1);
    expect(welcome.rid).toBe('h1');
    expect(welcome.resumed).toBe(false);
    expect(welcome.resumeToken.length).toBeGreaterThanOrEqual(24);
    expect(welcome.limits).toEqual({ maxMessageBytes: 4096, maxRoomSize: 3 });
  });

  it('refuses another protocol version and closes with 4000', async () => {
    const c = await client(false);
    c.send({ type: 'hello', v: 99 });
    const err = await c.next('error');
    expect(err.code).toBe('version_mismatch');
    expect((await c.closed).code).toBe(4000);
  });

  it('requires hello before anything else', async () => {
    const c = await client(false);
    c.send({ type: 'join', room: 'a', name: 'x', media: { audio: false, video: false }, rid: 'j' });
    const err = await c.next('error');
    expect(err).toMatchObject({ code: 'hello_required', rid: 'j', of: 'join' });
  });
});

describe('bad frames get a stable error and harm nothing else', () => {
  it('reports each kind of bad frame, and the connection and its room carry on', async () => {
    const a = await client();
    const b = await client();
    const ja = await a.join('room-1', 'Ana');
    const jb = await b.join('room-1', 'Ben');

    const cases: Array<[string | Buffer, string]> = [
      ['not json', 'bad_json'],
      ['[1,2]', 'bad_message'],
      ['{"no":"type"}', 'bad_message'],
      ['{"type":"launch-missiles"}', 'unknown_type'],
      [
        '{"type":"join","room":"bad room!","name":"x","media":{"audio":true,"video":true}}',
        'bad_message',
      ],
      [
        '{"type":"join","room":"r","name":"   ","media":{"audio":true,"video":true}}',
        'bad_message',
      ],
      ['{"type":"signal","to":"x"}', 'bad_message'],
      [
        JSON.stringify({ type: 'signal', to: 'nobody', candidate: { candidate: 'c' } }),
        'unknown_peer',
      ],
      [
        JSON.stringify({ type: 'signal', to: ja.self, candidate: { candidate: 'c' } }),
        'unknown_peer',
      ],
      [
        JSON.stringify({
          type: 'join',
          room: 'room-2',
          name: 'x',
          media: { audio: true, video: true },
        }),
        'already_joined',
      ],
      [Buffer.from([1, 2, 3]), 'bad_message'],
    ];
    for (const [frame, code] of cases) {
      const err = a.next('error');
      a.sendRaw(frame);
      expect((await err).code, `frame ${String(frame).slice(0, 40)}`).toBe(code);
    }
    // Still in the room: a signal to Ben arrives, stamped with Ana's id.
    const got = b.next('signal');
    a.send({
      type: 'signal',
      to: jb.self,
      candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' },
    });
    expect(await got).toMatchObject({ from: ja.self });
  });

  it('answers a malformed request by its rid, so the request fails at once', async () => {
    const a = await client();
    const bad = a.next('error');
    a.sendRaw('{"type":"join","room":"r","name":"Ana","rid":"r7"}');
    expect(await bad).toMatchObject({ code: 'bad_message', of: 'join', rid: 'r7' });
    const unknown = a.next('error');
    a.sendRaw('{"type":"launch-missiles","rid":"r8"}');
    expect(await unknown).toMatchObject({ code: 'unknown_type', rid: 'r8' });
    // A rid that is itself wrong is not echoed.
    const noRid = a.next('error');
    a.sendRaw(JSON.stringify({ type: 'join', rid: 'x'.repeat(65) }));
    expect(await noRid).not.toHaveProperty('rid');
  });

  it('closes an oversize frame with 1009 while other connections carry on', async () => {
    const a = await client();
    const b = await client();
    const c = await client();
    await a.join('big', 'A');
    const jb = await b.join('big', 'B');
    const jc = await c.join('big', 'C');
    a.sendRaw(
      JSON.stringify({
        type: 'signal',
        to: jb.self,
        description: { type: 'offer', sdp: 'x'.repeat(5000) },
      }),
    );
    expect((await a.closed).code).toBe(1009);
    // The others see A leave once its session ends, and keep talking.
    const got = c.next('signal');
    b.send({ type: 'signal', to: jc.self, description: { type: 'offer', sdp: 'v=0' } });
    expect(await got).toMatchObject({ from: jb.self, description: { type: 'offer', sdp: 'v=0' } });
  });

  it('refuses a join when the room is full, and the room is unaffected', async () => {
    const [a, b, c, d] = [await client(), await client(), await client(), await client()];
    await a.join('full', 'A');
    await b.join('full', 'B');
    await c.join('full', 'C');
    const err = d.next('error');
    d.send({
      type: 'join',
      room: 'full',
      name: 'D',
      media: { audio: true, video: true },
      rid: 'x',
    });
    expect(await err).toMatchObject({ code: 'room_full', rid: 'x', of: 'join' });
    expect((await server.shared.rooms.members('full')).map((m) => m.name)).toEqual(['A', 'B', 'C']);
    // D can still join another room on the same connection.
    await d.join('other', 'D');
  });

  it('rate-limits a flooding connection without affecting others', async () => {
    await server.close();
    server = await startServer({ rateLimit: 20 });
    const a = await client();
    const b = await client();
    await a.join('flood', 'A');
    const jb = await b.join('flood', 'B');
    const limited = a.next('error', (m) => m.code === 'rate_limited');
    const first = b.next('peer-media-state');
    for (let i = 0; i < 200; i++) {
      a.send({ type: 'media-state', media: { audio: i % 2 === 0, video: true } });
    }
    await limited;
    await first;
    await b.settle();
    // The burst (twice the rate) got through; the rest was dropped at the edge.
    expect(b.count('peer-media-state')).toBeGreaterThanOrEqual(20);
    expect(b.count('peer-media-state')).toBeLessThan(100);
    // B is unaffected and can still reach A.
    const got = a.next('signal');
    b.send({
      type: 'signal',
      to: (await server.shared.rooms.members('flood'))[0]?.peerId,
      candidate: { candidate: 'c' },
    });
    expect((await got).from).toBe(jb.self);
  });
});
