/**
 * The SDK through a real SFU: a Parley server with --sfu-url to a real Janus (the
 * configuration `parley janus-config` writes) and --mesh-max 2, and three Rooms in Node
 * (@roamhq/wrtc). The third join moves the room to Janus; the two already there switch
 * (make before break) and everyone receives the two others through the SFU.
 */
import wrtc from '@roamhq/wrtc';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ParleyServer } from '../../server/src/app.js';
import { startServer, TestClient } from '../../server/test/helpers.js';
import { janusProblem, startParleyJanus, type TestJanus } from '../../server/test/support/janus.js';
import { QualityMonitor, type PeerQuality } from '../src/quality/index.js';
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
    ...janus.sfuOptions,
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

/** A Room on its own signaling connection to the test server, closed after the file. */
function newRoom(): Room {
  const room = nodeRoom(nodeSignaling(server.wsUrl));
  cleanup.push(() => {
    room.close();
    room.signaling.close();
  });
  return room;
}

/** Join `roomId` sending a frame-fed video track and a silent audio track. */
async function joinWithMedia(room: Room, roomId: string, name: string): Promise<void> {
  const video = frameFedVideoTrack();
  const audio = new wrtc.nonstandard.RTCAudioSource().createTrack() as MediaStreamTrack;
  cleanup.push(video.stop, () => audio.stop());
  await room.join(roomId, { name, tracks: { audio, video: video.track } });
}

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

it.skipIf(janusProblem !== null)(
  'a third join switches the room to Janus, every Room receives the two others through it; back to a mesh at two',
  async () => {
    const names = ['Ana', 'Ben', 'Cleo'];
    const rooms = names.map(() => newRoom());
    const changes = new Map<Room, ModeChange>();
    const added = new Map<Room, string[]>(rooms.map((r) => [r, []]));
    for (const room of rooms) {
      room.on('mode-changed', (c) => changes.set(room, c));
      room.on('track-added', (p, _t, kind) => {
        if (room.mediaMode === 'sfu') {
          added.get(room)?.push(`${p.id}:${kind}`);
        }
      });
    }
    const [ana, ben, cleo] = rooms as [Room, Room, Room];
    const join = (room: Room, name: string): Promise<void> => joinWithMedia(room, 'big', name);
    await join(ana, 'Ana');
    await join(ben, 'Ben');
    // A mesh of two first.
    await until(() => ana.participants[0]?.connection === 'connected', 15_000, 'the mesh');
    expect(ana.mediaMode).toBe('mesh');

    await join(cleo, 'Cleo');
    expect(cleo.mediaMode).toBe('sfu');
    await until(() => changes.size === 2, 30_000, 'Ana and Ben switched to the SFU');
    for (const room of [ana, ben]) {
      const change = changes.get(room) as ModeChange;
      expect(change.mode).toBe('sfu');
      expect(change.timedOut).toBe(false);
      expect(change.gapMs).toBe(0);
      expect(room.mediaMode).toBe('sfu');
    }

    const ids = rooms.map((r) => r.selfId as string);
    for (const room of rooms) {
      const others = ids.filter((id) => id !== room.selfId);
      expect(room.participants.map((p) => p.id).sort()).toEqual([...others].sort());
      await until(
        () => room.participants.every((p) => p.connection === 'connected' && p.tracks.video),
        20_000,
        `${room.selfId} connected to the others through the SFU`,
      );
      // track-added through the SFU, with the right participant ids.
      for (const id of others) {
        expect(added.get(room)).toEqual(expect.arrayContaining([`${id}:audio`, `${id}:video`]));
      }
      for (const id of others) {
        let packets = 0;
        const deadline = Date.now() + 20_000;
        while (packets === 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 200));
          packets = await videoPacketsFrom(room, id);
        }
        expect(packets, `video RTP from ${id} to ${room.selfId}`).toBeGreaterThan(0);
      }
    }
    // The quality monitor reads the SFU's stats per participant: each one's own inbound
    // video, and the path to Janus.
    const monitor = new QualityMonitor(ana, { intervalMs: 300 });
    const reports: PeerQuality[][] = [];
    monitor.on('report', (r) => reports.push(r));
    monitor.start();
    await until(
      () =>
        (reports.at(-1) ?? []).filter((q) => q.bitrateInBps > 0 && q.videoIn !== null).length === 2,
      10_000,
      "the monitor's samples of Ben and Cleo through the SFU",
    );
    monitor.stop();
    const last = reports.at(-1) as PeerQuality[];
    expect(last.map((q) => q.peerId).sort()).toEqual([ids[1], ids[2]].sort());
    for (const q of last) {
      expect(q.rttMs).not.toBeNull();
      expect(q.framesDecoded).toBeGreaterThan(0);
    }

    // Choosing a layer of someone's video goes to the server and is taken.
    const errors: Error[] = [];
    ana.on('error', (e) => errors.push(e));
    expect(ana.setLayer(ids[1] as string, 0)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(errors).toEqual([]);

    // Cleo leaves: two are left, the server moves the room back to a mesh, and Ana and Ben
    // switch (make before break; the impolite one offers) and receive each other directly.
    changes.clear();
    cleo.close();
    await until(() => changes.size === 2, 30_000, 'Ana and Ben switched back to a mesh');
    for (const room of [ana, ben]) {
      const change = changes.get(room) as ModeChange;
      expect(change.mode).toBe('mesh');
      expect(change.timedOut).toBe(false);
      expect(room.mediaMode).toBe('mesh');
      expect(room.participants.map((p) => p.id)).toEqual([
        ids.find((id) => id !== room.selfId && id !== ids[2]),
      ]);
    }
    for (const [room, other] of [
      [ana, ids[1]],
      [ben, ids[0]],
    ] as Array<[Room, string]>) {
      const before = await videoPacketsFrom(room, other);
      let after = before;
      const deadline = Date.now() + 20_000;
      while (after <= before && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        after = await videoPacketsFrom(room, other);
      }
      expect(after, `video RTP from ${other} to ${room.selfId} over the mesh`).toBeGreaterThan(
        before,
      );
    }
    expect(errors).toEqual([]);
  },
  150_000,
);

it.skipIf(janusProblem !== null)(
  'a third who sends nothing (mic and camera off) still lets the two switch at once: no timeout, no gap',
  async () => {
    const rooms = [newRoom(), newRoom()];
    const changes = new Map<Room, ModeChange>();
    for (const room of rooms) {
      room.on('mode-changed', (c) => changes.set(room, c));
    }
    const [ana, ben] = rooms as [Room, Room];
    await joinWithMedia(ana, 'listener', 'Ana');
    await joinWithMedia(ben, 'listener', 'Ben');
    await until(() => ana.participants[0]?.connection === 'connected', 15_000, 'the mesh');

    // The third joins with nothing on: the room goes to the SFU, where they publish nothing.
    const listener = await TestClient.connect(server);
    cleanup.push(() => listener.close());
    const joined = listener.next('joined');
    listener.send({
      type: 'join',
      room: 'listener',
      name: 'Lou',
      media: { audio: false, video: false },
    });
    expect((await joined).mode).toBe('sfu');
    // Before the fix no report ever came: the switch waited for Lou's tracks, ran into
    // its 10 s timeout and closed the mesh without reaching "everyone".
    await until(() => changes.size === 2, 30_000, 'Ana and Ben switched to the SFU');
    for (const room of rooms) {
      const change = changes.get(room) as ModeChange;
      expect(change.mode).toBe('sfu');
      expect(change.timedOut).toBe(false);
      expect(change.gapMs).toBe(0);
      const other = room.participants.find((p) => p.name !== 'Lou');
      expect(other?.tracks.video).toBeDefined();
      // Lou publishes nothing: connected with no media, not "connecting" for ever.
      const lou = room.participants.find((p) => p.name === 'Lou');
      expect(lou?.connection).toBe('connected');
      expect(lou?.tracks).toEqual({});
    }
  },
  60_000,
);
