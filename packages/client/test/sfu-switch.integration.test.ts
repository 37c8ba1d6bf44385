/**
 * The mesh → SFU switch at the default --mesh-max (4), as the e2e test "a room of four
 * gains a fifth" does it, with five SDK Rooms in Node (@roamhq/wrtc) against a real
 * Parley and a real Janus. Every Room must end with its download (the subscriber
 * connection Janus offers through `sfu-offer`) up and carrying the four others' video.
 * SFU_SWITCH_ROUNDS repeats it in fresh rooms to catch a race (issue 10: one page's
 * subscriber never came up).
 */
import wrtc from '@roamhq/wrtc';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ParleyServer } from '../../server/src/app.js';
import { startServer } from '../../server/test/helpers.js';
import { janusProblem, startParleyJanus, type TestJanus } from '../../server/test/support/janus.js';
import type { Room } from '../src/room.js';
import { frameFedVideoTrack } from './mesh-network.js';
import { nodeRoom, nodeSignaling } from './node-sdk.js';
import { until } from './until.js';

const ROUNDS = Number(process.env.SFU_SWITCH_ROUNDS ?? 1);

let janus: TestJanus;
let server: ParleyServer;

beforeAll(async () => {
  if (janusProblem) {
    return;
  }
  janus = await startParleyJanus();
  server = await startServer({
    sfuUrl: janus.url,
    sfuApiSecret: janus.apiSecret,
    sfuAdminKey: janus.adminKey,
    maxRoomSize: 8,
    logLevel: process.env.SFU_SWITCH_LOG ?? 'silent',
  });
}, 30_000);
afterAll(async () => {
  await server?.close();
  await janus?.process.dispose();
});

/** What each Room sees of the others, for a failure message. */
function describe(rooms: readonly Room[]): string {
  return rooms
    .map(
      (r) =>
        `${r.selfId} (${r.mediaMode}): ` +
        r.participants
          .map((p) => `${p.id}=${p.connection}${p.tracks.video ? '+video' : ''}`)
          .join(', '),
    )
    .join('\n');
}

async function round(n: number): Promise<void> {
  const stops: Array<() => void> = [];
  const rooms: Room[] = [];
  const errors: string[] = [];
  try {
    const join = async (name: string): Promise<Room> => {
      const room = nodeRoom(nodeSignaling(server.wsUrl));
      room.on('error', (e) => errors.push(`${name}: ${e.message}`));
      const video = frameFedVideoTrack();
      const audio = new wrtc.nonstandard.RTCAudioSource().createTrack() as MediaStreamTrack;
      stops.push(
        video.stop,
        () => audio.stop(),
        () => room.close(),
        () => room.signaling.close(),
      );
      await room.join(`grows-${n}`, { name, tracks: { audio, video: video.track } });
      rooms.push(room);
      return room;
    };
    for (const name of ['Ada', 'Grace', 'Linus', 'Margaret']) {
      await join(name);
    }
    await until(
      () => rooms.every((r) => r.participants.every((p) => p.connection === 'connected')),
      30_000,
      'a mesh of four',
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${describe(rooms)}`);
    });
    expect(rooms.every((r) => r.mediaMode === 'mesh')).toBe(true);

    await join('Ken');
    await until(
      () =>
        rooms.every(
          (r) =>
            r.mediaMode === 'sfu' &&
            r.participants.length === 4 &&
            r.participants.every((p) => p.connection === 'connected' && p.tracks.video),
        ),
      45_000,
      `round ${n}: every Room receives the four others through Janus`,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${describe(rooms)}\nerrors: ${errors.join('; ')}`);
    });
  } finally {
    stops.forEach((stop) => stop());
  }
}

it.skipIf(janusProblem !== null)(
  `a room of four gains a fifth: every download through Janus comes up (${ROUNDS} round(s))`,
  async () => {
    for (let n = 1; n <= ROUNDS; n++) {
      await round(n);
    }
  },
  ROUNDS * 120_000,
);
