import { afterEach, expect, it } from 'vitest';
import type { ParleyServer } from '../../server/src/app.js';
import { startServer } from '../../server/test/helpers.js';
import type { Room } from '../src/room.js';
import type { DataStream } from '../src/topology/index.js';
import { nodeRoom, nodeSignaling, roomPool } from './node-sdk.js';
import { until } from './until.js';

let server: ParleyServer;
const rooms = roomPool();
afterEach(async () => {
  rooms.closeAll();
  await server?.close();
});

function newRoom(): Room {
  return rooms.add(nodeRoom(nodeSignaling(server.wsUrl)));
}

it('three SDK instances in Node form a mesh through a real server and exchange data', async () => {
  server = await startServer();
  const names = ['Ana', 'Ben', 'Cleo'];
  const members = names.map(() => newRoom());
  const inbox = new Map<Room, string[]>(members.map((r) => [r, []]));
  for (const r of members) {
    r.on('data', (from, data) => inbox.get(r)?.push(`${from.name}:${String(data)}`));
  }
  for (const [i, r] of members.entries()) {
    await r.join('mesh', { name: names[i] as string });
  }
  // Everyone sees the two others, connected.
  await until(() =>
    members.every(
      (r) =>
        r.participants.length === 2 && r.participants.every((p) => p.connection === 'connected'),
    ),
  );
  for (const [i, r] of members.entries()) {
    expect(r.participants.map((p) => p.name).sort()).toEqual(
      names.filter((_, j) => j !== i).sort(),
    );
  }
  await until(() => members.every((r) => r.participants.every((p) => r.canSendData(p.id))));
  for (const [i, r] of members.entries()) {
    r.sendData(`hi from ${names[i]}`);
  }
  await until(() => members.every((r) => inbox.get(r)?.length === 2));
  expect(inbox.get(members[0] as Room)?.sort()).toEqual(['Ben:hi from Ben', 'Cleo:hi from Cleo']);
  expect(inbox.get(members[2] as Room)?.sort()).toEqual(['Ana:hi from Ana', 'Ben:hi from Ben']);

  // One leaves: the others drop their link and participant.
  const left: string[] = [];
  members[0]?.on('participant-left', (p, reason) => left.push(`${p.name}:${reason}`));
  members[1]?.leave();
  await until(() => left.length === 1);
  expect(left).toEqual(['Ben:left']);
  expect(members[2]?.participants.map((p) => p.name)).toEqual(['Ana']);
});

it('a dropped signaling socket resumes the seat without the others seeing a leave', async () => {
  server = await startServer();
  const a = newRoom();
  const b = newRoom();
  await a.join('resume', { name: 'Ana' });
  await b.join('resume', { name: 'Ben' });
  await until(() => a.participants[0]?.connection === 'connected');
  const events: string[] = [];
  b.on('participant-left', (p) => events.push(`left:${p.name}`));
  b.on('participant-joined', (p) => events.push(`joined:${p.name}`));
  const states: string[] = [];
  a.on('state', (s) => states.push(s));
  a.signaling.dropConnection();
  await until(() => states.includes('joined'));
  expect(states).toEqual(['reconnecting', 'joined']);
  // Signaling still works after the resume: a media-state change crosses.
  const seen = new Promise((resolve) => b.on('media-state', (_p, m) => resolve(m)));
  a.setMediaState({ audio: false, video: true });
  expect(await seen).toEqual({ audio: false, video: true });
  expect(events).toEqual([]);
  expect(a.participants[0]?.connection).toBe('connected');
});

it('muting while the join is on its way reaches the room once joined', async () => {
  server = await startServer();
  const a = newRoom();
  const b = newRoom();
  await a.join('mute-early', { name: 'Ana', media: { audio: true, video: true } });
  const seen = new Promise((resolve) => a.on('media-state', (_p, m) => resolve(m)));
  // The join request goes out with audio on; the mute comes right after it is sent,
  // before `joined` is back.
  const send = b.signaling.send.bind(b.signaling);
  b.signaling.send = ((...args: Parameters<typeof send>) => {
    send(...args);
    if (args[0].type === 'join') {
      b.setMediaState({ audio: false, video: true });
    }
  }) as typeof send;
  await b.join('mute-early', { name: 'Ben', media: { audio: true, video: true } });
  expect(await seen).toEqual({ audio: false, video: true });
  expect(a.participants[0]?.media).toEqual({ audio: false, video: true });
});

it('a raised hand and a recording reach the room; a mic toggle keeps them', async () => {
  server = await startServer();
  const a = newRoom();
  const b = newRoom();
  await a.join('flags', { name: 'Ana', media: { audio: true, video: true } });
  await b.join('flags', { name: 'Ben', media: { audio: true, video: true } });
  const seenByAna = (): unknown => a.participants[0]?.media;
  b.setHandRaised(true);
  b.setRecording(true);
  await until(() => a.participants[0]?.media.recording === true);
  expect(seenByAna()).toEqual({ audio: true, video: true, hand: true, recording: true });
  // The app's mic toggle sends only audio and video: the hand and the recording stay.
  b.setMediaState({ audio: false, video: true });
  await until(() => a.participants[0]?.media.audio === false);
  expect(seenByAna()).toEqual({ audio: false, video: true, hand: true, recording: true });
  b.setHandRaised(false);
  b.setRecording(false);
  await until(() => a.participants[0]?.media.recording === undefined);
  expect(seenByAna()).toEqual({ audio: false, video: true });
  expect(b.localState).toEqual({ audio: false, video: true });
});

it('through the room: data to one participant, per-participant stats, a data stream of its own', async () => {
  server = await startServer();
  const [ana, ben, cy] = [newRoom(), newRoom(), newRoom()] as [Room, Room, Room];
  const got: string[] = [];
  for (const r of [ben, cy]) {
    r.on('data', (from, data) =>
      got.push(`${from.name}->${r === ben ? 'Ben' : 'Cy'}:${String(data)}`),
    );
  }
  await ana.join('seam', { name: 'Ana' });
  await ben.join('seam', { name: 'Ben' });
  await cy.join('seam', { name: 'Cy' });
  await until(() => ana.participants.length === 2);
  await until(() => ana.participants.every((p) => ana.canSendData(p.id)));
  const benId = ana.participants.find((p) => p.name === 'Ben')?.id as string;
  ana.sendData('just for Ben', benId);
  await until(() => got.length === 1);
  await new Promise((r) => setTimeout(r, 200));
  expect(got).toEqual(['Ana->Ben:just for Ben']);

  const report = await ana.getStats(benId);
  const types = new Set<string>();
  report?.forEach((e: { type: string }) => types.add(e.type));
  expect([...types]).toEqual(expect.arrayContaining(['transport', 'candidate-pair']));
  expect(await ana.getStats('nobody')).toBeNull();

  // A stream of its own (what a file transfer uses) arrives with its sender.
  // FileSharing itself is tested in Chromium (e2e/files.spec.ts): wrtc may deliver the
  // first messages of a stream out of order when they beat its 'datachannel' event.
  const incoming: DataStream[] = [];
  ben.on('data-stream', (from, stream) => from.name === 'Ana' && incoming.push(stream));
  const out = ana.openDataStream(benId, 'parley-file:0123');
  expect(out?.label).toBe('parley-file:0123');
  await until(() => incoming.length === 1);
  const words: string[] = [];
  incoming[0]?.on('message', (d) => words.push(String(d)));
  out?.send('one');
  out?.send('two');
  await until(() => words.length === 2);
  expect(words).toEqual(['one', 'two']);
});
