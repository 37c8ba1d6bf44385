/**
 * The SFU topology's receiving side: pausing a participant's video (`sfu-pause`) and
 * restarting ICE on the subscriber connection (`sfu-restart`), by hand and by itself
 * after a break. Janus stands in as a wrtc connection that offers "their" streams; our
 * publisher's offer is never answered (nothing here is about the upload).
 */
import { expect, it, vi } from 'vitest';
import type { ClientMessage, ServerMessage, ServerMessageMap } from '@parley/protocol';
import { frameFedVideoTrack } from '../../../test/mesh-network.js';
import { until } from '../../../test/until.js';
import { PC, undoAfterEach } from '../../../test/wrtc-test-kit.js';
import { createMeshTopology } from '../mesh/mesh-topology.js';
import { ParleyError } from '../../errors.js';
import { SfuSubscriber } from './sfu-subscriber.js';
import { createSfuTopology, type SfuTopology } from './sfu-topology.js';

// wrtc negotiates in this worker beside the other suites: on two busy cores a step
// can take seconds, so each wait is generous and a test gets a minute in all.
vi.setConfig({ testTimeout: 60_000 });

const undo = undoAfterEach();

/** A downlink-only Janus: Ana's audio and video on one offering connection. */
async function receiving(iceRestartGraceMs?: number) {
  const janus = new PC();
  const sent: ClientMessage[] = [];
  const send = (m: ClientMessage): void => {
    sent.push(m);
    if (m.type === 'sfu-trickle' && m.target === 'subscriber' && m.candidate) {
      janus.addIceCandidate(m.candidate).catch(() => undefined);
    }
  };
  const request = (m: ClientMessage): Promise<unknown> => {
    sent.push(m);
    if (m.type === 'sfu-subscriber-answer') {
      return janus.setRemoteDescription(m.jsep).then(() => ({ type: 'sfu-subscribed' }));
    }
    return new Promise(() => undefined); // the publisher's offer: left unanswered
  };
  const video = frameFedVideoTrack();
  const topology = createSfuTopology({
    selfId: 'me',
    mode: 'sfu',
    rtcConfig: {},
    send,
    request: request as <T extends keyof ServerMessageMap>(
      m: ClientMessage,
      t: T,
    ) => Promise<ServerMessageMap[T]>,
    tracks: { audio: null, video: null },
    stream: null,
    uplinkBudget: false,
    RTCPeerConnection: PC,
    ...(iceRestartGraceMs === undefined ? {} : { iceRestartGraceMs }),
  });
  undo.push(
    () => janus.close(),
    () => topology.close(),
    video.stop,
  );
  janus.addTransceiver('audio', { direction: 'sendonly' });
  janus.addTransceiver(video.track, { direction: 'sendonly' });

  /** Janus's offer (a new one with new ICE credentials when `iceRestart`). */
  const offer = async (iceRestart = false): Promise<ServerMessage> => {
    await janus.setLocalDescription(await janus.createOffer({ iceRestart }));
    await until(() => janus.iceGatheringState === 'complete', 15_000, 'ICE gathering');
    const mids = janus.getTransceivers().map((t) => t.mid as string);
    return {
      type: 'sfu-offer',
      jsep: { type: 'offer', sdp: janus.localDescription?.sdp as string },
      streams: [
        { mid: mids[0] as string, peerId: 'ana', kind: 'audio' },
        { mid: mids[1] as string, peerId: 'ana', kind: 'video' },
      ],
    };
  };
  topology.addParticipant('ana', 'present');
  topology.addParticipant('ben', 'present');
  topology.handleMessage(await offer());
  await until(() => topology.connectionState('ana') === 'connected', 20_000, 'ana connected');
  return { janus, sent, topology, offer };
}

function answers(sent: ClientMessage[]): string[] {
  return sent.flatMap((m) => (m.type === 'sfu-subscriber-answer' ? [m.jsep.sdp] : []));
}

const ufrag = (sdp: string | undefined): string | undefined =>
  /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1];

async function videoPackets(topology: SfuTopology, id: string): Promise<number> {
  let packets = 0;
  (await topology.getStats(id))?.forEach(
    (s: { type: string; kind?: string; packetsReceived?: number }) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        packets = Math.max(packets, s.packetsReceived ?? 0);
      }
    },
  );
  return packets;
}

// One retry: in a full CI run (two test files at once beside other wrtc suites on two
// cores) its third answer once did not come within 15 s; alone it passes in about a
// second (3 of 3 right after). The cause is not found (docs/SFU.md, "Tests").
it(
  'asks the server to pause and resume a video it receives, and again after each negotiation',
  { retry: 1 },
  async () => {
    const { sent, topology, offer } = await receiving();
    expect(topology.setVideoPaused('ana', true)).toBe(true);
    // Ben sends no video; nobody is not in the room: nothing to pause.
    expect(topology.setVideoPaused('ben', true)).toBe(false);
    expect(topology.setVideoPaused('nobody', true)).toBe(false);
    expect(sent.filter((m) => m.type === 'sfu-pause')).toEqual([
      { type: 'sfu-pause', peerId: 'ana', paused: true },
    ]);

    // Janus renegotiates (someone joined): the pause is said again once it took our answer.
    sent.length = 0;
    topology.handleMessage(await offer());
    await until(() => sent.some((m) => m.type === 'sfu-pause'), 15_000, 'the pause said again');
    expect(sent.filter((m) => m.type === 'sfu-pause')).toEqual([
      { type: 'sfu-pause', peerId: 'ana', paused: true },
    ]);

    expect(topology.setVideoPaused('ana', false)).toBe(true);
    sent.length = 0;
    topology.handleMessage(await offer());
    await until(() => answers(sent).length === 1, 15_000, 'answered');
    await new Promise((r) => setTimeout(r, 200));
    expect(sent.filter((m) => m.type === 'sfu-pause' || m.type === 'sfu-layer')).toEqual([]);
    topology.close();
    expect(topology.setVideoPaused('ana', true)).toBe(false);
  },
);

it('sends the candidates it held for an answer whose reply was lost (a timeout)', async () => {
  const janus = new PC();
  janus.addTransceiver('audio', { direction: 'sendonly' });
  const trickled: Array<RTCIceCandidateInit | null> = [];
  const subscriber = new SfuSubscriber(
    PC,
    {},
    {
      publish: () => new Promise(() => undefined),
      // Janus takes the answer, but its reply does not come in time.
      answer: async (sdp) => {
        await janus.setRemoteDescription({ type: 'answer', sdp });
        throw new ParleyError('timeout', 'no sfu-subscribed in time');
      },
      trickle: (target, c) => {
        if (target === 'subscriber') {
          trickled.push(c);
        }
      },
      layer: () => undefined,
      pause: () => undefined,
      restart: () => undefined,
    },
  );
  undo.push(
    () => janus.close(),
    () => subscriber.close(),
  );
  const errors: string[] = [];
  subscriber.on('error', (err) => errors.push(err.message));
  await janus.setLocalDescription(await janus.createOffer());
  const mid = janus.getTransceivers()[0]?.mid as string;
  await subscriber.handleOffer(janus.localDescription?.sdp as string, [
    { mid, peerId: 'ana', kind: 'audio' },
  ]);
  expect(errors).toEqual(['no sfu-subscribed in time']);
  // Every candidate goes out, up to the end of them: none waits for another answer.
  await until(() => trickled.includes(null), 15_000, 'the end of candidates');
  expect(trickled.filter((c) => c !== null).length).toBeGreaterThan(0);
});

it('a mesh has nothing to pause', () => {
  const mesh = createMeshTopology({
    selfId: 'me',
    rtcConfig: {},
    send: () => undefined,
    tracks: { audio: null, video: null },
    stream: null,
    uplinkBudget: false,
    RTCPeerConnection: PC,
  });
  mesh.addParticipant('ana', 'present');
  expect(mesh.setVideoPaused('ana', true)).toBe(false);
  mesh.close();
});

it('restarts ICE on the receiving connection: sfu-restart, a new offer, an answer with new credentials', async () => {
  const { janus, sent, topology, offer } = await receiving();
  const before = ufrag(answers(sent)[0]);
  sent.length = 0;
  topology.restartIce();
  expect(sent.filter((m) => m.type === 'sfu-restart')).toEqual([{ type: 'sfu-restart' }]);

  // The server asks Janus for a restart offer; it comes as a plain sfu-offer.
  topology.handleMessage(await offer(true));
  await until(() => answers(sent).length === 1, 15_000, 'the restart answered');
  const after = ufrag(answers(sent)[0]);
  expect(after).toBeDefined();
  expect(after).not.toBe(before);
  expect(ufrag(janus.currentRemoteDescription?.sdp)).toBe(after);
  // Media flows on over the restarted path.
  const packets = await videoPackets(topology, 'ana');
  await until(() => janus.connectionState === 'connected', 20_000, 'connected again');
  let now = 0;
  await until(
    () => {
      void videoPackets(topology, 'ana').then((p) => (now = p));
      return now > packets + 10;
    },
    10_000,
    'video packets after the restart',
  );
  expect(topology.connectionState('ana')).toBe('connected');
});

it('restarts ICE by itself when the receiving connection stays broken', async () => {
  const { janus, sent, topology } = await receiving(200);
  sent.length = 0;
  // Janus's end goes silent: consent checks fail, the connection breaks.
  janus.close();
  await until(
    () => topology.connectionState('ana') === 'reconnecting',
    30_000,
    'the break noticed',
  );
  await until(
    () => sent.some((m) => m.type === 'sfu-restart'),
    30_000,
    'sfu-restart sent by itself',
  );
});
