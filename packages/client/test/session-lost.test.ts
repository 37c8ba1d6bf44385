import { afterEach, expect, it } from 'vitest';
import type { ParleyServer } from '../../server/src/app.js';
import { startServer } from '../../server/test/helpers.js';
import { Room } from '../src/room.js';
import { nodeSignaling, roomPool, trackedPeerConnections } from './node-sdk.js';
import { until } from './until.js';

let server: ParleyServer | null = null;
const rooms = roomPool();
afterEach(async () => {
  rooms.closeAll();
  await server?.close();
  server = null;
});

async function start(port: number): Promise<ParleyServer> {
  server = await startServer({ port });
  return server;
}

/** A room whose peer connections the test can see (the SDK never shows them). */
function newRoom(url: string): { room: Room; pcs: RTCPeerConnection[] } {
  const { RTCPeerConnection, made } = trackedPeerConnections();
  const room = new Room(nodeSignaling(url), { RTCPeerConnection });
  rooms.add(room);
  return { room, pcs: made };
}

it('a restarted server knows nobody: both rejoin as new, media links survive until then', async () => {
  const first = await start(0);
  const port = Number(new URL(first.url).port);
  const url = first.wsUrl;
  const { room: a, pcs } = newRoom(url);
  const { room: b } = newRoom(url);
  await a.join('restart', { name: 'Ana' });
  await b.join('restart', { name: 'Ben' });
  await until(() => a.participants[0]?.connection === 'connected', 15_000, 'connected');
  expect(pcs).toHaveLength(1);
  const oldPc = pcs[0];
  const oldBenId = a.participants[0]?.id;
  const states: string[] = [];
  a.on('state', (s) => states.push(s));
  const errors: string[] = [];
  a.on('error', (e) => errors.push(e.message));

  // The server goes away (its sessions with it).
  await first.close();
  server = null;
  await until(() => a.state === 'reconnecting' && b.state === 'reconnecting');
  // While it is down, the peer connection is untouched.
  await new Promise((r) => setTimeout(r, 500));
  expect(oldPc?.connectionState).toBe('connected');
  expect(a.participants[0]?.connection).toBe('connected');
  expect(pcs).toHaveLength(1);

  await start(port);
  await until(
    () => a.state === 'joined' && b.state === 'joined' && a.participants.length === 1,
    10_000,
    'both back',
  );
  await until(() => b.participants.length === 1);
  // New seat, new peer id, new link; never back through "joining" (no lobby flash).
  expect(states).toEqual(['reconnecting', 'joined']);
  expect(a.participants[0]?.id).not.toBe(oldBenId);
  expect(a.participants[0]?.name).toBe('Ben');
  expect(oldPc?.connectionState).toBe('closed');
  expect(pcs).toHaveLength(2);
  await until(() => a.participants[0]?.connection === 'connected', 15_000, 'reconnected');
  // resume_failed is handled silently: the user is not shown an error for it.
  expect(errors).toEqual([]);
});
