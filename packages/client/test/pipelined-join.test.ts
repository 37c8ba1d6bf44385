import WebSocket from 'ws';
import { afterEach, expect, it } from 'vitest';
import type { ParleyServer } from '../../server/src/app.js';
import { startServer, TestClient } from '../../server/test/helpers.js';
import { SignalingClient, type WebSocketLike } from '../src/signaling-client.js';
import { Room } from '../src/room.js';

let server: ParleyServer | undefined;
afterEach(async () => {
  await server?.close();
});

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
