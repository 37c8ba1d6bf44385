/**
 * The SFU topology against a stand-in for Parley and Janus made of wrtc peer
 * connections: one answers our publisher's offer, one offers us "their" streams the
 * way Janus does (candidates inside its SDP), with `streams` naming who sends each.
 */
import wrtc from '@roamhq/wrtc';
import { expect, it, vi } from 'vitest';
import type { ClientMessage, ServerMessage, ServerMessageMap, SfuStream } from '@parley/protocol';
import { frameFedVideoTrack } from '../../../test/mesh-network.js';
import { until } from '../../../test/until.js';
import { PC, undoAfterEach } from '../../../test/wrtc-test-kit.js';
import type { TopologyContext } from '../media-topology.js';
import { createSfuTopology, type SfuTopology } from './sfu-topology.js';

// wrtc negotiates in this worker beside the other suites: on two busy cores a step
// can take seconds, so each wait is generous and a test gets a minute in all.
vi.setConfig({ testTimeout: 60_000 });

const cleanup = undoAfterEach();

async function gathered(pc: RTCPeerConnection): Promise<RTCSessionDescriptionInit> {
  await until(() => pc.iceGatheringState === 'complete', 15_000, 'ICE gathering');
  return pc.localDescription as RTCSessionDescriptionInit;
}

/** The far side: an answering publisher PC and an offering subscriber PC. */
function fakeSfu() {
  const up = new PC();
  const down = new PC();
  const sent: ClientMessage[] = [];
  cleanup.push(() => {
    up.close();
    down.close();
  });
  const send = (m: ClientMessage): void => {
    sent.push(m);
    if (m.type === 'sfu-trickle' && m.candidate) {
      void (m.target === 'publisher' ? up : down).addIceCandidate(m.candidate);
    }
  };
  const request = async (m: ClientMessage): Promise<unknown> => {
    sent.push(m);
    if (m.type === 'sfu-publish') {
      await up.setRemoteDescription(m.jsep);
      await up.setLocalDescription(await up.createAnswer());
      return { type: 'sfu-answer', jsep: await gathered(up) };
    }
    if (m.type === 'sfu-subscriber-answer') {
      await down.setRemoteDescription(m.jsep);
      return { type: 'sfu-subscribed' };
    }
    throw new Error(`unexpected request ${m.type}`);
  };
  return {
    up,
    down,
    sent,
    send,
    request: request as <T extends keyof ServerMessageMap>(
      m: ClientMessage,
      t: T,
    ) => Promise<ServerMessageMap[T]>,
    /** Janus's offer for the downlink, with whose stream each m-line carries. */
    async offer(streams: Array<Omit<SfuStream, 'mid'>>): Promise<ServerMessage> {
      await down.setLocalDescription(await down.createOffer());
      const jsep = await gathered(down);
      const mids = down.getTransceivers().map((t) => t.mid as string);
      return {
        type: 'sfu-offer',
        jsep: { type: 'offer', sdp: jsep.sdp as string },
        streams: streams.map((s, i) => ({ ...s, mid: mids[i] as string })),
      };
    },
  };
}

/** An SFU topology as `me`, talking to `sfu`, with `extra` on its context. */
function topologyOn(sfu: ReturnType<typeof fakeSfu>, extra: Partial<TopologyContext>): SfuTopology {
  return createSfuTopology({
    selfId: 'me',
    mode: 'sfu',
    rtcConfig: {},
    send: sfu.send,
    request: sfu.request,
    tracks: { audio: null, video: null },
    stream: null,
    uplinkBudget: false,
    RTCPeerConnection: PC,
    ...extra,
  });
}

it('publishes in simulcast, maps the downlink by mid to participants, and has no data path from a server that relays none', async () => {
  const sfu = fakeSfu();
  const mine = frameFedVideoTrack();
  const theirs = frameFedVideoTrack();
  const topology = topologyOn(sfu, { tracks: { audio: null, video: mine.track } });
  cleanup.push(() => topology.close(), mine.stop, theirs.stop);
  const log: string[] = [];
  topology.on('track-added', (id, _t, kind) => log.push(`added:${id}:${kind}`));
  topology.on('track-removed', (id, kind) => log.push(`removed:${id}:${kind}`));
  topology.on('error', (id, err) => log.push(`error:${id}:${err.message.slice(0, 20)}`));

  await until(() => sfu.up.connectionState === 'connected', 20_000, 'publisher connected');
  const publish = sfu.sent.find((m) => m.type === 'sfu-publish');
  expect(publish?.type === 'sfu-publish' && publish.jsep.sdp).toMatch(/a=simulcast:send h;m;l/);
  expect(topology.simulcast).toBe(true);

  // Janus offers Ana's audio and video and Ben's audio; Ben is not in the room yet.
  sfu.down.addTransceiver('audio', { direction: 'sendonly' });
  sfu.down.addTransceiver(theirs.track, { direction: 'sendonly' });
  sfu.down.addTransceiver('audio', { direction: 'sendonly' });
  topology.addParticipant('ana', 'present');
  // A layer asked for before her video comes: nothing to send yet, but it is kept.
  expect(topology.setLayer('ana', 1)).toBe(false);
  expect(sfu.sent.filter((m) => m.type === 'sfu-layer')).toEqual([]);
  topology.handleMessage(
    await sfu.offer([
      { peerId: 'ana', kind: 'audio' },
      { peerId: 'ana', kind: 'video' },
      { peerId: 'ben', kind: 'audio' },
    ]),
  );
  await until(() => topology.connectionState('ana') === 'connected', 20_000, 'ana connected');
  expect(log.sort()).toEqual(['added:ana:audio', 'added:ana:video']);
  const answered = sfu.sent.filter((m) => m.type === 'sfu-subscriber-answer');
  expect(answered).toHaveLength(1);
  // ...and sent once Janus has the answer that brings her video.
  await until(() => sfu.sent.some((m) => m.type === 'sfu-layer'), 15_000, 'the kept layer sent');
  expect(sfu.sent.filter((m) => m.type === 'sfu-layer')).toEqual([
    { type: 'sfu-layer', peerId: 'ana', substream: 1 },
  ]);
  // Connectivity checks can succeed on peer-reflexive candidates before ours are trickled.
  await until(
    () => sfu.sent.some((m) => m.type === 'sfu-trickle' && m.target === 'subscriber'),
    10_000,
    'subscriber candidates trickled',
  );

  // Ben arrives: his track was there already.
  topology.addParticipant('ben', 'joined');
  expect(log).toContain('added:ben:audio');

  // Ana's inbound video is in her stats, and not in Ben's.
  let videoIn = 0;
  await until(
    () => {
      void topology.getStats('ana').then((r) =>
        r?.forEach((s: { type: string; kind?: string; packetsReceived?: number }) => {
          if (s.type === 'inbound-rtp' && s.kind === 'video') {
            videoIn = Math.max(videoIn, s.packetsReceived ?? 0);
          }
        }),
      );
      return videoIn > 0;
    },
    10_000,
    "Ana's video in her stats",
  );
  const bens: string[] = [];
  (await topology.getStats('ben'))?.forEach((s: { type: string; kind?: string }) => {
    if (s.type === 'inbound-rtp') {
      bens.push(s.kind ?? '');
    }
  });
  expect(bens).not.toContain('video');
  await expect(topology.getStats('nobody')).resolves.toBeNull();

  // A layer for someone whose video we receive goes to the server; no data path (no dataLimits).
  expect(topology.setLayer('ana', 0)).toBe(true);
  expect(topology.setLayer('ben', 0)).toBe(false);
  expect(sfu.sent).toContainEqual({ type: 'sfu-layer', peerId: 'ana', substream: 0 });
  expect(topology.canSendData('ana')).toBe(false);
  topology.sendData('hi');
  expect(topology.openDataStream('ana', 'x')).toBeNull();
  expect(log.filter((l) => l.startsWith('error'))).toHaveLength(1);

  // A renegotiation without Ben's audio: his track goes, Ana's stay.
  log.length = 0;
  topology.handleMessage(
    await sfu.offer([
      { peerId: 'ana', kind: 'audio' },
      { peerId: 'ana', kind: 'video' },
    ]),
  );
  await until(() => log.length > 0, 15_000, 'a track removed');
  expect(log).toEqual(['removed:ben:audio']);
  expect(topology.connectionState('ben')).toBe('connecting');

  topology.close();
  expect(topology.connectionState('ana')).toBeNull();
});

it('sends data through the server: to one or all, streams that end when their participant leaves', async () => {
  const sfu = fakeSfu();
  const topology = topologyOn(sfu, {
    dataLimits: { maxBytes: 32_768, bytesPerSecond: 1_000_000 },
  });
  cleanup.push(() => topology.close());
  const events: string[] = [];
  topology.on('data-open', (id) => events.push(`open:${id}`));
  topology.on('data', (from, data) => events.push(`data:${from}:${String(data)}`));
  topology.on('data-stream', (from, s) => events.push(`stream:${from}:${s.label}`));
  topology.on('error', (_id, err) => events.push(`error:${err.message}`));

  // Reachable as soon as they are in the room: data does not wait for their media.
  topology.addParticipant('ana', 'present');
  topology.addParticipant('ben', 'joined');
  expect(topology.canSendData('ana')).toBe(true);
  expect(topology.canSendData('nobody')).toBe(false);
  expect(topology.openDataStream('nobody', 'x')).toBeNull();
  await Promise.resolve();
  expect(events).toEqual(['open:ana', 'open:ben']);

  topology.sendData('hello all');
  topology.sendData('hello ana', 'ana');
  const frames = () => sfu.sent.filter((m) => m.type === 'room-data');
  expect(frames()).toEqual([
    { type: 'room-data', data: 'hello all' },
    { type: 'room-data', to: 'ana', data: 'hello ana' },
  ]);

  topology.handleMessage({ type: 'room-data', from: 'ben', data: 'hi' });
  topology.handleMessage({
    type: 'room-data',
    from: 'ana',
    to: 'me',
    data: '',
    stream: { id: 'f1', op: 'open', label: 'parley-file:1' },
  });
  expect(events.slice(2)).toEqual(['data:ben:hi', 'stream:ana:parley-file:1']);

  const toBen = topology.openDataStream('ben', 'parley-file:2');
  expect(toBen?.state).toBe('open');
  toBen?.send(new Uint8Array([7]).buffer);
  expect(frames().at(-1)).toMatchObject({
    to: 'ben',
    data: 'Bw==',
    binary: true,
    stream: { op: 'message' },
  });
  topology.removeParticipant('ben');
  expect(toBen?.state).toBe('closed');
  expect(topology.canSendData('ben')).toBe(false);
  topology.close();
  expect(topology.canSendData('ana')).toBe(false);
  expect(events.filter((e) => e.startsWith('error'))).toEqual([]);
});

it('reports someone who sends nothing as connected at once, and waits for their streams once they send', async () => {
  const sfu = fakeSfu();
  const topology = topologyOn(sfu, {});
  cleanup.push(() => topology.close());
  const states: string[] = [];
  topology.on('connection-state', (id, state) => states.push(`${id}:${state}`));

  // Lou joined with mic and camera off: no stream of his will ever come through Janus.
  topology.setMediaState('lou', { audio: false, video: false });
  topology.addParticipant('lou', 'present');
  // Ana sends: she is connecting until her streams come, and nothing came.
  topology.setMediaState('ana', { audio: true, video: false });
  topology.addParticipant('ana', 'present');
  expect(topology.connectionState('lou')).toBe('connected');
  expect(topology.connectionState('ana')).toBe('connecting');
  expect(states).toEqual(['lou:connected']);

  // Lou turns his mic on: now a stream of his is waited for; off again, nothing is.
  topology.setMediaState('lou', { audio: true, video: false });
  expect(topology.connectionState('lou')).toBe('connecting');
  topology.setMediaState('lou', { audio: false, video: false });
  expect(topology.connectionState('lou')).toBe('connected');
  // A state for someone not in the room is kept for their arrival and changes nothing now.
  topology.setMediaState('zoe', { audio: false, video: false });
  expect(topology.connectionState('zoe')).toBeNull();
  topology.removeParticipant('lou');
  expect(states).toEqual(['lou:connected', 'lou:connecting', 'lou:connected', 'lou:closed']);
  expect(topology.connectionState('ana')).toBe('connecting');
});

it('shares a screen as a third m-line of the upload, offered again, and shows another’s screen by its stream kind', async () => {
  const sfu = fakeSfu();
  const camera = frameFedVideoTrack();
  const screen = frameFedVideoTrack();
  const theirs = frameFedVideoTrack();
  // No budget: wrtc's sender aborts the process on setParameters after its simulcast was
  // answered without rids (Chromium does not); the e2e test covers the screen's encoding.
  const topology = topologyOn(sfu, { tracks: { audio: null, video: camera.track } });
  cleanup.push(() => topology.close(), camera.stop, screen.stop, theirs.stop);
  const offers = () =>
    sfu.sent.flatMap((m) =>
      m.type === 'sfu-publish' ? [m.jsep.sdp.split('\r\nm=').slice(1)] : [],
    );
  await until(() => sfu.up.connectionState === 'connected', 20_000, 'publisher connected');
  expect(offers()).toHaveLength(1);
  expect(offers()[0]).toHaveLength(2);

  // Share: one new offer with a third, sendonly video m-line (wrtc has no contentHint:
  // the e2e test checks that the track is marked as text).
  await topology.publishTrack('screen', screen.track);
  expect(offers()).toHaveLength(2);
  const sharing = offers()[1] as string[];
  expect(sharing.map((m) => m.split(' ')[0])).toEqual(['audio', 'video', 'video']);
  expect(sharing[2]).toMatch(/a=sendonly/);
  // The far side took it: its third transceiver receives.
  expect(sfu.up.getTransceivers()[2]?.currentDirection).toBe('recvonly');

  // Stop: one more offer with the m-line inactive; sharing again reuses it.
  await topology.unpublishTrack('screen');
  expect(offers()).toHaveLength(3);
  expect((offers()[2] as string[])[2]).toMatch(/a=inactive/);
  await topology.publishTrack('screen', screen.track);
  expect(offers()).toHaveLength(4);
  expect(offers()[3]).toHaveLength(3);
  expect((offers()[3] as string[])[2]).toMatch(/a=sendonly/);
  // The tab's sound: a fourth m-line, audio, after the screen (the server tells it apart
  // from the microphone by that place: feed-streams.ts).
  const tab = new wrtc.nonstandard.RTCAudioSource().createTrack() as unknown as MediaStreamTrack;
  cleanup.push(() => tab.stop());
  await topology.publishTrack('screen-audio', tab);
  expect(offers()).toHaveLength(5);
  expect((offers()[4] as string[]).map((m) => m.split(' ')[0])).toEqual([
    'audio',
    'video',
    'video',
    'audio',
  ]);
  expect((offers()[4] as string[])[3]).toMatch(/a=sendonly/);

  // Ana's screen comes down as a stream of kind `screen`: her screen, beside her camera.
  const log: string[] = [];
  topology.on('track-added', (id, _t, kind) => log.push(`added:${id}:${kind}`));
  topology.on('track-removed', (id, kind) => log.push(`removed:${id}:${kind}`));
  sfu.down.addTransceiver(theirs.track, { direction: 'sendonly' });
  sfu.down.addTransceiver(theirs.track, { direction: 'sendonly' });
  topology.addParticipant('ana', 'present');
  sfu.down.addTransceiver('audio', { direction: 'sendonly' });
  topology.handleMessage(
    await sfu.offer([
      { peerId: 'ana', kind: 'video' },
      { peerId: 'ana', kind: 'screen' },
      { peerId: 'ana', kind: 'screen-audio' },
    ]),
  );
  await until(() => log.length === 3, 15_000, "Ana's camera, screen and its sound");
  expect(log.sort()).toEqual(['added:ana:screen', 'added:ana:screen-audio', 'added:ana:video']);
  // The screen is not simulcast: a layer choice names her camera only (server side).
  log.length = 0;
  topology.handleMessage(await sfu.offer([{ peerId: 'ana', kind: 'video' }]));
  await until(() => log.length > 1, 15_000, 'her screen gone');
  expect(log.sort()).toEqual(['removed:ana:screen', 'removed:ana:screen-audio']);
});

it('publishes a screen shared before it existed (a switch mid-share) in its first offer', async () => {
  const sfu = fakeSfu();
  const screen = frameFedVideoTrack();
  const topology = topologyOn(sfu, { tracks: { audio: null, video: null, screen: screen.track } });
  cleanup.push(() => topology.close(), screen.stop);
  await until(() => sfu.sent.some((m) => m.type === 'sfu-publish'), 10_000, 'the first offer');
  const first = sfu.sent.find((m) => m.type === 'sfu-publish');
  const mlines = first?.type === 'sfu-publish' ? first.jsep.sdp.split('\r\nm=').slice(1) : [];
  expect(mlines.map((m) => m.split(' ')[0])).toEqual(['audio', 'video', 'video']);
  expect(mlines[2]).toMatch(/a=sendonly/);
});
