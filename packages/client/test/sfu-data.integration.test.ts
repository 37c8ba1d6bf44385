/**
 * Reactions and files in the SDK through a real SFU: a Parley server with --sfu-url to a
 * real Janus and --mesh-max 2, three Rooms in Node (@roamhq/wrtc). The data goes through
 * Parley's server (`room-data`), including while a Room is still switching to the SFU.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ParleyServer } from '../../server/src/app.js';
import { startServer } from '../../server/test/helpers.js';
import { janusProblem, startParleyJanus, type TestJanus } from '../../server/test/support/janus.js';
import { FileSharing, Reactions, type Transfer } from '../src/data/index.js';
import type { Room } from '../src/room.js';
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
    roomDataRate: 200_000,
  });
}, 30_000);
afterAll(async () => {
  for (const f of cleanup.splice(0).reverse()) {
    f();
  }
  await server?.close();
  await janus?.process.dispose();
});

it.skipIf(janusProblem !== null)(
  'a reaction from the newcomer reaches Rooms still switching to the SFU, and a file arrives whole through the server',
  async () => {
    const rooms = ['Ana', 'Ben', 'Cleo'].map(() => {
      const room = nodeRoom(nodeSignaling(server.wsUrl));
      cleanup.push(() => {
        room.close();
        room.signaling.close();
      });
      return room;
    });
    const [ana, ben, cleo] = rooms as [Room, Room, Room];
    // Every refusal the server sends, answered requests included.
    const errors: string[] = [];
    for (const room of rooms) {
      room.signaling.on('message', (m) => {
        if (m.type === 'error') {
          errors.push(`${m.code} ${m.of ?? ''} ${m.rid ?? ''}: ${m.message}`);
        }
      });
    }
    const reactions = rooms.map((room) => {
      const r = new Reactions(room, 0);
      cleanup.push(() => r.close());
      return r;
    });
    const files = rooms.map((room) => {
      const f = new FileSharing(room);
      cleanup.push(() => f.close());
      return f;
    });
    /** What each Room heard, and its media mode at that moment. */
    const heard = new Map<Room, Array<{ from: string; emoji: string; mode: string }>>();
    rooms.forEach((room, i) => {
      heard.set(room, []);
      reactions[i]?.on('reaction', (from, emoji) => {
        if (from !== room.selfId) {
          heard.get(room)?.push({ from, emoji, mode: room.mediaMode });
        }
      });
    });
    const join = async (room: Room, name: string): Promise<void> => {
      const video = frameFedVideoTrack();
      cleanup.push(video.stop);
      await room.join('data', { name, tracks: { audio: null, video: video.track } });
    };
    await join(ana, 'Ana');
    await join(ben, 'Ben');
    await until(() => ana.participants[0]?.connection === 'connected', 15_000, 'the mesh');

    // Cleo's join moves the room to the SFU; she reacts at once, before Ana and Ben are
    // through with their switch (it waits for her video through Janus).
    await join(cleo, 'Cleo');
    expect(cleo.mediaMode).toBe('sfu');
    expect(cleo.participants.every((p) => cleo.canSendData(p.id))).toBe(true);
    reactions[2]?.send('🎉');
    for (const room of [ana, ben]) {
      await until(() => (heard.get(room) ?? []).length > 0, 10_000, 'the reaction');
      expect(heard.get(room)).toEqual([{ from: cleo.selfId, emoji: '🎉', mode: 'mesh' }]);
    }
    await until(
      () => ana.mediaMode === 'sfu' && ben.mediaMode === 'sfu',
      30_000,
      'Ana and Ben on the SFU',
    );

    // 600 KB from Ana to Cleo through the server, at 200,000 B/s: paced, not refused.
    const content = randomBytes(600 * 1024);
    const offers: Transfer[] = [];
    files[2]?.on('offer', (t) => offers.push(t));
    const shared = (await files[0]?.share(new Blob([content]), 'a.bin')) ?? [];
    expect(shared.map((t) => t.peerId).sort()).toEqual([ben.selfId, cleo.selfId].sort());
    await until(() => offers.length === 1, 10_000, "Cleo's offer");
    files[2]?.accept(offers[0]?.key as string);
    const incoming = () => files[2]?.list.find((t) => t.direction === 'in');
    await until(() => incoming()?.state === 'done', 60_000, 'the file at Cleo').catch(
      (err: unknown) => {
        // What each side saw, to tell a stall from a refusal.
        console.log(
          JSON.stringify(
            files.map((f) => f.list.map((t) => ({ ...t, file: undefined }))),
            null,
            1,
          ),
          errors,
        );
        throw err;
      },
    );
    const got = Buffer.from(await (incoming()?.file as Blob).arrayBuffer());
    expect(got.equals(content)).toBe(true);
    const out = files[0]?.list.find((t) => t.peerId === cleo.selfId);
    await until(() => out?.state === 'done', 10_000, "Ana's transfer done");
    // Ben never answered: his offer is still open; nobody was refused anything.
    expect(files[1]?.list.find((t) => t.direction === 'in')?.state).toBe('offered');
    expect(errors).toEqual([]);
  },
  120_000,
);
