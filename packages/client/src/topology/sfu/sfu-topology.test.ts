/**
 * The SFU topology against a stand-in for Parley and Janus made of wrtc peer
 * connections: one answers our publisher's offer, one offers us "their" streams the
 * way Janus does (candidates inside its SDP), with `streams` naming who sends each.
 */
import wrtc from '@roamhq/wrtc';
import { afterEach, expect, it } from 'vitest';
import type { ClientMessage, ServerMessage, ServerMessageMap, SfuStream } from '@parley/protocol';
import { frameFedVideoTrack } from '../../../test/mesh-network.js';
import { until } from '../../../test/until.js';
import { createSfuTopology } from './sfu-topology.js';

const PC = wrtc.RTCPeerConnection as unknown as typeof RTCPeerConnection;
const cleanup: Array<() => void> = [];
afterEach(() => {
  // Last made, first undone: frame sources stop before the connections they feed close
  // (wrtc can crash the process on a frame pushed into a closed connection's track).
  for (const f of cleanup.splice(0).reverse()) {
    f();
  }
});

async function gathered(pc: RTCPeerConnection): Promise<RTCSessionDescriptionInit> {
  await until(() => pc.iceGatheringState === 'complete', 5_000, 'ICE gathering');
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

it('publishes in simulcast, maps the downlink by mid to participants, and has no data path', async () => {
  const sfu = fakeSfu();
  const mine = frameFedVideoTrack();
  const theirs = frameFedVideoTrack();
  const topology = createSfuTopology({
    selfId: 'me',
    mode: 'sfu',
    rtcConfig: {},
    send: sfu.send,
    request: sfu.request,
    tracks: { audio: null, video: mine.track },
    stream: null,
    uplinkBudget: false,
    RTCPeerConnection: PC,
  });
  cleanup.push(() => topology.close(), mine.stop, theirs.stop);
  const log: string[] = [];
  topology.on('track-added', (id, _t, kind) => log.push(`added:${id}:${kind}`));
  topology.on('track-removed', (id, kind) => log.push(`removed:${id}:${kind}`));
  topology.on('error', (id, err) => log.push(`error:${id}:${err.message.slice(0, 20)}`));

  await until(() => sfu.up.connectionState === 'connected', 10_000, 'publisher connected');
  const publish = sfu.sent.find((m) => m.type === 'sfu-publish');
  expect(publish?.type === 'sfu-publish' && publish.jsep.sdp).toMatch(/a=simulcast:send h;m;l/);
  expect(topology.simulcast).toBe(true);

  // Janus offers Ana's audio and video and Ben's audio; Ben is not in the room yet.
  sfu.down.addTransceiver('audio', { direction: 'sendonly' });
  sfu.down.addTransceiver(theirs.track, { direction: 'sendonly' });
  sfu.down.addTransceiver('audio', { direction: 'sendonly' });
  topology.addParticipant('ana', 'present');
  topology.handleMessage(
    await sfu.offer([
      { peerId: 'ana', kind: 'audio' },
      { peerId: 'ana', kind: 'video' },
      { peerId: 'ben', kind: 'audio' },
    ]),
  );
  await until(() => topology.connectionState('ana') === 'connected', 10_000, 'ana connected');
  expect(log.sort()).toEqual(['added:ana:audio', 'added:ana:video']);
  const answered = sfu.sent.filter((m) => m.type === 'sfu-subscriber-answer');
  expect(answered).toHaveLength(1);
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

  // A layer for someone whose video we receive goes to the server; no data path.
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
  await until(() => log.length > 0, 5_000, 'a track removed');
  expect(log).toEqual(['removed:ben:audio']);
  expect(topology.connectionState('ben')).toBe('connecting');

  topology.close();
  expect(topology.connectionState('ana')).toBeNull();
});
