/**
 * One round trip to join (docs/PROTOCOL.md, "Handshake"): a client may send `join`
 * right behind `hello` without waiting for `welcome`, and the server answers both, in
 * order. The client below writes its whole first flight in one TCP segment and then
 * only listens, so whatever it receives answers that one flight.
 */
import WebSocket from 'ws';
import { afterEach, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type ServerMessage } from '@parley/protocol';
import type { ParleyServer } from '../src/app.js';
import { startServer, TestClient } from './helpers.js';
import { signUp } from './accounts-harness.js';

let server: ParleyServer | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) {
    ws.close();
  }
  await server?.close();
  server = undefined;
});

/** Open a socket, write `frames` in one segment, and collect what comes back. */
async function firstFlight(
  url: string,
  frames: object[],
  headers: Record<string, string> = {},
): Promise<{
  received: ServerMessage[];
  until: (n: number) => Promise<ServerMessage[]>;
  flight: (frames: object[]) => void;
}> {
  const ws = new WebSocket(url, { headers });
  sockets.push(ws);
  const received: ServerMessage[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    received.push(JSON.parse(String(data)) as ServerMessage);
    waiters.splice(0).forEach((w) => w());
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  // The ws client writes each frame at once; corking the TCP socket puts them in one write.
  const tcp = (ws as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
  const flight = (list: object[]): void => {
    tcp.cork();
    for (const f of list) {
      ws.send(JSON.stringify(f));
    }
    tcp.uncork();
  };
  flight(frames);
  const until = async (n: number): Promise<ServerMessage[]> => {
    while (received.length < n) {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`got only ${JSON.stringify(received.map((m) => m.type))}`)),
          5000,
        );
        waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return received;
  };
  return { received, until, flight };
}

const media = { audio: true, video: true };

it('answers hello and join sent together with welcome and joined, in order, nothing else', async () => {
  server = await startServer();
  const ben = await TestClient.connect(server);
  await ben.join('one-trip', 'Ben');
  const seen = ben.next('peer-joined');
  const stateSeen = ben.next('peer-media-state');
  const ana = await firstFlight(server.wsUrl, [
    { type: 'hello', v: PROTOCOL_VERSION, rid: 'h' },
    { type: 'join', room: 'one-trip', name: 'Ana', media, rid: 'j' },
    { type: 'media-state', media: { audio: false, video: true } },
  ]);
  const [welcome, joined] = await ana.until(2);
  expect(welcome).toMatchObject({ type: 'welcome', rid: 'h', resumed: false });
  expect(joined).toMatchObject({ type: 'joined', room: 'one-trip', rid: 'j' });
  expect(joined?.type === 'joined' && joined.peers.map((p) => p.name)).toEqual(['Ben']);
  // The frame behind the join reached the room once, after the join.
  expect((await seen).peer.name).toBe('Ana');
  const state = await stateSeen;
  expect(state.media).toMatchObject({ audio: false, video: true });
  await ben.settle();
  expect(ben.received.filter((m) => m.type === 'peer-joined')).toHaveLength(1);
  expect(ben.received.filter((m) => m.type === 'peer-media-state')).toHaveLength(1);
  ben.close();
  // No error came back to Ana for any of her first frames.
  expect(ana.received.filter((m) => m.type === 'error')).toEqual([]);
});

it('holds frames behind the hello of a signed-in tab until its session is ready', async () => {
  // A signed-in socket's welcome waits for an asynchronous start (its tab registers for
  // calls): the join behind the hello waits with it instead of being refused.
  server = await startServer({ scryptCost: 10, registerMaxPerIp: 1000 });
  const user = await signUp(server, 'pipe');
  const ana = await firstFlight(
    `${server.wsUrl}?account=1`,
    [
      { type: 'hello', v: PROTOCOL_VERSION, rid: 'h' },
      { type: 'join', room: 'one-trip-signed', name: 'Ana', media, rid: 'j' },
    ],
    { cookie: user.cookie },
  );
  const [welcome, joined] = await ana.until(2);
  expect(welcome).toMatchObject({ type: 'welcome', rid: 'h' });
  expect(joined).toMatchObject({ type: 'joined', room: 'one-trip-signed', rid: 'j' });
});

it('a join behind a refused hello is refused too, with its rid, and nothing joins', async () => {
  server = await startServer();
  const ben = await TestClient.connect(server);
  await ben.join('one-trip-refused', 'Ben');
  const ana = await firstFlight(server.wsUrl, [
    { type: 'hello', v: PROTOCOL_VERSION + 1, rid: 'h' },
    { type: 'join', room: 'one-trip-refused', name: 'Ana', media, rid: 'j' },
  ]);
  const [refused] = await ana.until(1);
  expect(refused).toMatchObject({ type: 'error', code: 'version_mismatch', rid: 'h' });
  await ben.settle();
  expect(ben.received.filter((m) => m.type === 'peer-joined')).toEqual([]);
  ben.close();
});

it('a join right behind a leave, in one flight, finds the old seat released', async () => {
  // A meet or board pairing moving on leaves one room and joins the next on the same
  // connection at once; the join used to be refused (already_joined) while the leave
  // was still releasing the seat.
  server = await startServer();
  const ben = await TestClient.connect(server);
  await ben.join('leave-first', 'Ben');
  const ana = await firstFlight(server.wsUrl, [
    { type: 'hello', v: PROTOCOL_VERSION, rid: 'h' },
    { type: 'join', room: 'leave-first', name: 'Ana', media, rid: 'j1' },
  ]);
  await ana.until(2);
  ana.flight([
    { type: 'leave', rid: 'l' },
    { type: 'join', room: 'next-room', name: 'Ana', media, rid: 'j2' },
  ]);
  const answered = (): ServerMessage[] =>
    ana.received.filter((m) => 'rid' in m && (m.rid === 'l' || m.rid === 'j2'));
  while (answered().length < 2) {
    await ana.until(ana.received.length + 1);
  }
  expect(answered()).toMatchObject([
    { type: 'left', room: 'leave-first', rid: 'l' },
    { type: 'joined', room: 'next-room', rid: 'j2' },
  ]);
  ben.close();
});
