/**
 * File transfers say why they stopped with codes, never sentences (issue 15): two Rooms
 * in Node (@roamhq/wrtc) in a mesh through a real server, and FileSharing on each. Only
 * control messages travel here (offers, answers, cancels), on the shared data channel;
 * the bytes of a transfer are tested in Chromium (e2e/files.spec.ts).
 */
import { afterEach, expect, it } from 'vitest';
import type { ParleyServer } from '../../server/src/app.js';
import { startServer } from '../../server/test/helpers.js';
import { FileSharing, type Transfer } from '../src/data/index.js';
import type { Room } from '../src/room.js';
import { nodeRoom, nodeSignaling } from './node-sdk.js';
import { until } from './until.js';

let server: ParleyServer | undefined;
const cleanup: Array<() => void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) {
    f();
  }
  await server?.close();
});

/** Ana and Ben in one mesh room, their data channel open, each with FileSharing. */
async function pair(): Promise<{
  ana: Room;
  ben: Room;
  anaFiles: FileSharing;
  benFiles: FileSharing;
}> {
  server = await startServer();
  const url = server.wsUrl;
  const [ana, ben] = ['Ana', 'Ben'].map(() => {
    const room = nodeRoom(nodeSignaling(url));
    cleanup.push(() => {
      room.close();
      room.signaling.close();
    });
    return room;
  }) as [Room, Room];
  const [anaFiles, benFiles] = [ana, ben].map((room) => {
    const files = new FileSharing(room);
    cleanup.push(() => files.close());
    return files;
  }) as [FileSharing, FileSharing];
  await ana.join('reasons', { name: 'Ana' });
  await ben.join('reasons', { name: 'Ben' });
  await until(
    () =>
      [ana, ben].every((r) => r.participants.length === 1 && r.canSendData(r.participants[0]!.id)),
    15_000,
    'the data channel',
  );
  return { ana, ben, anaFiles, benFiles };
}

/** The transfer of `fileId` on one side, once it exists. */
async function transferOf(files: FileSharing, fileId: string): Promise<Transfer> {
  await until(() => files.list.some((t) => t.fileId === fileId), 10_000, `transfer ${fileId}`);
  return files.list.find((t) => t.fileId === fileId) as Transfer;
}

const text = (s: string): Blob => new Blob([s]);

it('declines, the size limit and cancels arrive as codes on both sides', async () => {
  const { anaFiles, benFiles } = await pair();

  // Ben says no: both sides hold `declined`.
  const [declined] = await anaFiles.share(text('no thanks'), 'a.txt');
  const atBen = await transferOf(benFiles, declined!.fileId);
  benFiles.decline(atBen.key);
  await until(() => declined!.state === 'declined', 10_000, 'the decline');
  expect(declined!.reason).toEqual({ code: 'declined' });
  expect(atBen.reason).toEqual({ code: 'declined' });

  // Over Ben's limit: declined without asking him, with his limit on both sides.
  benFiles.maxBytes = 4;
  const [tooLarge] = await anaFiles.share(text('twelve bytes'), 'b.txt');
  const bigAtBen = await transferOf(benFiles, tooLarge!.fileId);
  await until(() => tooLarge!.state === 'declined', 10_000, 'the refusal');
  expect(tooLarge!.reason).toEqual({ code: 'too_large', limitBytes: 4 });
  expect(bigAtBen.state).toBe('declined');
  expect(bigAtBen.reason).toEqual({ code: 'too_large', limitBytes: 4 });
  benFiles.maxBytes = 1024;

  // Ana cancels her offer: she cancelled; for Ben the peer did.
  const [cancelled] = await anaFiles.share(text('never mind'), 'c.txt');
  const cancelledAtBen = await transferOf(benFiles, cancelled!.fileId);
  anaFiles.cancel(cancelled!.key);
  await until(() => cancelledAtBen.state === 'cancelled', 10_000, 'the cancel');
  expect(cancelled!.reason).toEqual({ code: 'cancelled', byPeer: false });
  expect(cancelledAtBen.reason).toEqual({ code: 'cancelled', byPeer: true });
}, 60_000);

it('an older peer’s English reasons become generic codes', async () => {
  const { ana, ben, anaFiles } = await pair();
  const anaId = ben.participants[0]!.id;
  // What an older Parley sent: sentences in `reason`, written here on Ben's raw channel.
  const legacy = (msg: Record<string, unknown>): void =>
    ben.sendData(JSON.stringify({ ns: 'file', ...msg }), anaId);

  const [first] = await anaFiles.share(text('one'), 'one.txt');
  legacy({ op: 'decline', id: first!.fileId, reason: 'larger than the 1 MB limit' });
  await until(() => first!.state === 'declined', 10_000, 'the legacy decline');
  expect(first!.reason).toEqual({ code: 'declined' });

  // A `too_large` without a usable limit is a plain decline too.
  const [second] = await anaFiles.share(text('two'), 'two.txt');
  legacy({ op: 'decline', id: second!.fileId, reason: 'too_large', limitBytes: 'a lot' });
  await until(() => second!.state === 'declined', 10_000, 'the bad too_large');
  expect(second!.reason).toEqual({ code: 'declined' });

  // A failed check with a reason this version does not know, then one it knows. (The
  // offer is accepted first so that a `done` counts: the bytes never need to flow.)
  for (const [reason, code] of [
    ['the file arrived damaged (SHA-256 mismatch)', 'verify_failed'],
    ['checksum_mismatch', 'checksum_mismatch'],
  ] as const) {
    const [t] = await anaFiles.share(text(reason), 'three.txt');
    legacy({ op: 'accept', id: t!.fileId });
    await until(() => t!.state !== 'offered', 10_000, 'the accept');
    legacy({ op: 'done', id: t!.fileId, ok: false, reason });
    await until(() => t!.state === 'failed', 10_000, `the failure (${reason})`);
    expect(t!.reason).toEqual({ code });
  }
  expect(ana.participants.map((p) => p.name)).toEqual(['Ben']);
}, 60_000);
