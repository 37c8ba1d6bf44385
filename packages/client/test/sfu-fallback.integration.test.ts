/**
 * Janus killed mid-call: three SDK Rooms (wrtc) in a room through a real Janus
 * (--mesh-max 2) fall back to a mesh, announced by the server (`room-mode`), and receive
 * one another's video again, without a rejoin; when Janus is back, they go through it again. The node stays ready (/readyz names
 * `sfu` as degraded), and a room too large for a mesh refuses a join plainly.
 */
import wrtc from '@roamhq/wrtc';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ParleyServer } from '../../server/src/app.js';
import { startServer, TestClient } from '../../server/test/helpers.js';
import { janusProblem, startParleyJanus, type TestJanus } from '../../server/test/support/janus.js';
import type { Room } from '../src/room.js';
import type { ModeChange } from '../src/room-switch.js';
import { frameFedVideoTrack } from './mesh-network.js';
import { nodeRoom, nodeSignaling } from './node-sdk.js';
import { until } from './until.js';

let janus: TestJanus;
let server: ParleyServer;
const cleanup: Array<() => void> = [];

beforeAll(async () => {
  if (janusProblem) {
    return;
  }
  janus = await startParleyJanus();
  server = await startServer({
    sfuUrl: janus.url,
    sfuApiSecret: janus.apiSecret,
    sfuAdminKey: janus.adminKey,
    meshMax: 2,
    maxRoomSize: 8,
  });
}, 30_000);
afterAll(async () => {
  for (const f of cleanup.splice(0)) {
    f();
  }
  await server?.close();
  await janus?.process.dispose();
});

async function videoPacketsFrom(room: Room, id: string): Promise<number> {
  let packets = 0;
  (await room.getStats(id))?.forEach(
    (s: { type: string; kind?: string; packetsReceived?: number }) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        packets += s.packetsReceived ?? 0;
      }
    },
  );
  return packets;
}

/** Resolves once `room` receives more video from `id` than it had. */
async function rising(room: Room, id: string, what: string): Promise<void> {
  const before = await videoPacketsFrom(room, id);
  let after = before;
  const deadline = Date.now() + 20_000;
  while (after <= before && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    after = await videoPacketsFrom(room, id);
  }
  expect(after, what).toBeGreaterThan(before);
}

it.skipIf(janusProblem !== null)(
  'Janus killed: a three-person SFU room falls back to a mesh, video flows again, and back through Janus when it returns',
  async () => {
    const rooms = ['Ana', 'Ben', 'Cleo'].map(() => {
      const room = nodeRoom(nodeSignaling(server.wsUrl));
      cleanup.push(() => {
        room.close();
        room.signaling.close();
      });
      return room;
    });
    const changes = new Map<Room, ModeChange[]>(rooms.map((r) => [r, []]));
    const errors: Error[] = [];
    for (const room of rooms) {
      room.on('mode-changed', (c) => changes.get(room)?.push(c));
      room.on('error', (e) => errors.push(e));
    }
    for (const [i, room] of rooms.entries()) {
      const video = frameFedVideoTrack();
      const audio = new wrtc.nonstandard.RTCAudioSource().createTrack() as MediaStreamTrack;
      cleanup.push(video.stop, () => audio.stop());
      await room.join('big', { name: `p${i}`, tracks: { audio, video: video.track } });
    }
    const last = (room: Room): ModeChange | undefined => changes.get(room)?.at(-1);
    await until(
      () => rooms.every((r) => r.mediaMode === 'sfu') && rooms.slice(0, 2).every((r) => last(r)),
      30_000,
      'everyone on the SFU',
    );
    const ids = rooms.map((r) => r.selfId as string);
    for (const room of rooms) {
      await until(
        () => room.participants.every((p) => p.connection === 'connected' && p.tracks.video),
        20_000,
        `${room.selfId} connected through the SFU`,
      );
    }

    await janus.process.kill();
    await until(
      () => rooms.every((r) => r.mediaMode === 'mesh' && last(r)?.mode === 'mesh'),
      30_000,
      'everyone back on a mesh',
    );
    for (const room of rooms) {
      expect(room.participants).toHaveLength(2);
      for (const id of ids.filter((id) => id !== room.selfId)) {
        await rising(room, id, `video from ${id} to ${room.selfId} over the mesh`);
      }
    }
    expect(errors.filter((e) => (e as { code?: string }).code === 'sfu_unavailable')).toEqual([]);

    // The node stays in the load balancer: mesh rooms work without Janus.
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, degraded: ['sfu'] });
    expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(/^parley_sfu_up 0$/m);

    // Past --mesh-max, rooms stay a mesh up to six; the seventh is refused plainly.
    const raw: TestClient[] = [];
    cleanup.push(() => raw.forEach((c) => c.close()));
    for (let i = 0; i < 6; i++) {
      const c = await TestClient.connect(server);
      raw.push(c);
      expect((await c.join('crowd', `c${i}`)).mode).toBe('mesh');
    }
    const seventh = await TestClient.connect(server);
    raw.push(seventh);
    const refused = seventh.next('error');
    seventh.send({ type: 'join', room: 'crowd', name: 'c6', media: { audio: true, video: true } });
    const error = await refused;
    expect(error.code).toBe('sfu_unavailable');
    expect(error.message).toMatch(/too large to join while the media server is unavailable/);

    // Janus is back: the room, past --mesh-max, goes through it again.
    raw.forEach((c) => c.close());
    await janus.process.start();
    await until(
      () => rooms.every((r) => r.mediaMode === 'sfu' && last(r)?.mode === 'sfu'),
      60_000,
      'everyone on the SFU again',
    );
    for (const room of rooms) {
      for (const id of ids.filter((id) => id !== room.selfId)) {
        await rising(room, id, `video from ${id} to ${room.selfId} through Janus again`);
      }
    }
  },
  120_000,
);
