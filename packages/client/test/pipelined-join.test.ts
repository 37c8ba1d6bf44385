import { createServer, connect, type Server } from 'node:net';
import WebSocket from 'ws';
import { afterEach, expect, it } from 'vitest';
import type { ParleyServer } from '../../server/src/app.js';
import { startServer, TestClient } from '../../server/test/helpers.js';
import { SignalingClient, type WebSocketLike } from '../src/signaling-client.js';
import { Room } from '../src/room.js';
import { requestJoin } from '../src/hosting/join-request.js';

let server: ParleyServer | undefined;
let proxy: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  proxy = undefined;
  await server?.close();
});

/** A TCP proxy in front of `port` that holds each connection `holdMs` before passing it on. */
async function slowToOpen(port: number, holdMs: number): Promise<number> {
  proxy = createServer((inbound) => {
    inbound.pause();
    setTimeout(() => {
      const outbound = connect(port, '127.0.0.1', () => {
        inbound.pipe(outbound).pipe(inbound);
        inbound.resume();
      });
      outbound.on('error', () => inbound.destroy());
      inbound.on('error', () => outbound.destroy());
    }, holdMs);
  });
  await new Promise<void>((resolve) => proxy?.listen(0, '127.0.0.1', resolve));
  return (proxy.address() as { port: number }).port;
}

const socketOf = (url: string): WebSocketLike => new WebSocket(url) as unknown as WebSocketLike;

it('delivers what was sent while connecting once, in order, behind the join', async () => {
  server = await startServer();
  const ben = await TestClient.connect(server);
  await ben.join('queued', 'Ben');
  const client = new SignalingClient({ url: server.wsUrl, createSocket: socketOf });
  const connected = client.connect();
  const joined = client.request(
    { type: 'join', room: 'queued', name: 'Ana', media: { audio: true, video: true } },
    'joined',
  );
  const flags = [false, true, false];
  for (const audio of flags) {
    client.send({ type: 'media-state', media: { audio, video: true } });
  }
  await connected;
  expect((await joined).peers.map((p) => p.name)).toEqual(['Ben']);
  // A round trip of Ben's after Ana's own: everything she sent has reached the room.
  await new Promise<void>((resolve) => {
    const off = client.on('message', (m) => {
      if (m.type === 'pong') {
        off();
        resolve();
      }
    });
    client.send({ type: 'ping' });
  });
  await ben.settle();
  const seen = ben.received.filter(
    (m) => m.type === 'peer-joined' || m.type === 'peer-media-state',
  );
  expect(seen.map((m) => (m.type === 'peer-media-state' ? m.media.audio : m.type))).toEqual([
    'peer-joined',
    ...flags,
  ]);
  client.close();
  ben.close();
});

it('Room.join sends hello and join in one flight: joined arrives with nothing sent in between', async () => {
  server = await startServer();
  const written: string[] = [];
  let firstReplyAfter = -1;
  const client = new SignalingClient({
    url: server.wsUrl,
    createSocket: (url) => {
      const ws = new WebSocket(url);
      const send = ws.send.bind(ws);
      ws.send = ((data: string) => {
        written.push((JSON.parse(data) as { type: string }).type);
        send(data);
      }) as typeof ws.send;
      ws.on('message', () => {
        if (firstReplyAfter < 0) {
          firstReplyAfter = written.length;
        }
      });
      return ws as unknown as WebSocketLike;
    },
  });
  const room = new Room(client);
  await room.join('one-flight', { name: 'Ana' });
  expect(room.state).toBe('joined');
  // Both frames were on the wire before the first answer arrived.
  expect(written.slice(0, 2)).toEqual(['hello', 'join']);
  expect(firstReplyAfter).toBe(2);
  room.close();
  client.close();
});

it('a join queued while connecting has its whole timeout once the socket is open', async () => {
  server = await startServer();
  // The socket takes 1.5 s to open; the join may take 1 s from then. Counted from the
  // moment it was queued, it would have timed out before the server ever saw it.
  const port = await slowToOpen(Number(new URL(server.wsUrl).port), 1_500);
  const url = new URL(server.wsUrl);
  url.port = String(port);
  const client = new SignalingClient({ url: url.toString(), createSocket: socketOf });
  const connected = client.connect();
  const started = Date.now();
  const joined = requestJoin(
    client,
    { type: 'join', room: 'slow-socket', name: 'Ana', media: { audio: false, video: false } },
    () => undefined,
    1_000,
  );
  await connected;
  expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
  expect((await joined).room).toBe('slow-socket');
  client.close();
});
