import { createServer as createTcpServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { CloseCode } from '@parley/protocol';
import type { ParleyServer } from '../../server/src/app.js';
import { TestClient, startServer } from '../../server/test/helpers.js';
import type { Room, RoomState } from '../src/room.js';
import { nodeRoom, nodeSignaling } from './node-sdk.js';
import { until } from './until.js';

const servers: ParleyServer[] = [];
const rooms: Room[] = [];
const raw: TestClient[] = [];
let balancer: { server: Server; sockets: Set<Socket> } | null = null;

afterEach(async () => {
  for (const r of rooms.splice(0)) {
    r.close();
    r.signaling.close();
  }
  for (const c of raw.splice(0)) {
    c.ws.terminate();
  }
  if (balancer) {
    for (const s of balancer.sockets) {
      s.destroy();
    }
    await new Promise<void>((r) => balancer?.server.close(() => r()));
    balancer = null;
  }
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function node(): Promise<ParleyServer> {
  const s = await startServer({ resumeGraceMs: 30_000 });
  servers.push(s);
  return s;
}

/**
 * A Room whose reconnect backoff is a minute: anything that happens within the test's
 * timeouts did not wait for it.
 */
function roomOn(urls: string | string[]): Room {
  const room = nodeRoom(nodeSignaling(urls, { reconnect: { nextDelayMs: () => 60_000 } }));
  rooms.push(room);
  return room;
}

/** Someone who stays on the draining node to watch the room (a raw protocol client). */
async function watcher(s: ParleyServer, roomId: string): Promise<TestClient> {
  const c = await TestClient.connect(s);
  raw.push(c);
  await c.join(roomId, 'Watcher');
  return c;
}

/** A TCP load balancer in front of several nodes; new connections go to `target`. */
async function loadBalancer(
  initial: number,
): Promise<{ url: string; target: (port: number) => void }> {
  let target = initial;
  const sockets = new Set<Socket>();
  const server = createTcpServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  balancer = { server, sockets };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `ws://127.0.0.1:${port}/ws`, target: (p) => (target = p) };
}

it('a draining node sends its clients to the next address, where the room rejoins by itself', async () => {
  const a = await node();
  const b = await node();
  const room = roomOn([a.wsUrl, b.wsUrl]);
  await room.join('moving', { name: 'Ana' });
  const oldSelf = room.selfId;
  const watching = await watcher(a, 'moving');
  await until(() => room.participants.length === 1, 5000, 'watcher seen');
  const states: RoomState[] = [];
  room.on('state', (s) => states.push(s));
  const errors: string[] = [];
  room.on('error', (e) => errors.push(e.message));
  const left = watching.next('peer-left');

  const drained = a.drain(30_000);
  // The person who stayed on A sees Ana leave at once, not after a resume grace.
  expect(await left).toEqual({ type: 'peer-left', peerId: oldSelf, reason: 'left' });
  await until(() => room.state === 'joined' && room.selfId !== oldSelf, 5000, 'rejoined on B');
  expect(room.signaling.url).toBe(b.wsUrl);
  expect((await b.shared.rooms.members('moving')).map((m) => m.name)).toEqual(['Ana']);
  expect((await a.shared.rooms.members('moving')).map((m) => m.name)).toEqual(['Watcher']);
  // Reconnecting, then joined: never back through the lobby, and no error for the user.
  expect(states).toEqual(['reconnecting', 'joined']);
  expect(errors).toEqual([]);

  watching.ws.close(CloseCode.Moving);
  await drained;
});

it('with one address (a load balancer), it reconnects to the same address and lands on a live node', async () => {
  const a = await node();
  const b = await node();
  const lb = await loadBalancer(Number(new URL(a.url).port));
  const room = roomOn(lb.url);
  await room.join('behind-lb', { name: 'Ana' });
  const oldSelf = room.selfId;
  expect(await a.shared.rooms.members('behind-lb')).toHaveLength(1);

  // The balancer takes A out of rotation as it drains (its /readyz fails).
  lb.target(Number(new URL(b.url).port));
  const drained = a.drain(30_000);
  await until(() => room.state === 'joined' && room.selfId !== oldSelf, 5000, 'rejoined on B');
  expect(room.signaling.url).toBe(lb.url);
  expect((await b.shared.rooms.members('behind-lb')).map((m) => m.name)).toEqual(['Ana']);
  // A had nobody else: its drain ends as soon as Ana moved.
  await drained;
});

it('a refused or failed attempt moves on to the next address', async () => {
  const a = await node();
  const b = await node();
  // A drains with a client still on it, so it stays up refusing upgrades with 503.
  const stay = await TestClient.connect(a);
  raw.push(stay);
  const drained = a.drain(30_000);
  const room = nodeRoom(
    nodeSignaling([a.wsUrl, b.wsUrl], { reconnect: { nextDelayMs: () => 50 } }),
  );
  rooms.push(room);
  // The first connect is refused by A; the next one goes to B.
  await expect(room.join('refused', { name: 'Ana' })).rejects.toThrow();
  expect(room.signaling.url).toBe(b.wsUrl);
  await room.join('refused', { name: 'Ana' });
  expect(await b.shared.rooms.members('refused')).toHaveLength(1);
  stay.ws.close(CloseCode.Moving);
  await drained;
});
