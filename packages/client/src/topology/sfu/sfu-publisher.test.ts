/**
 * An upload whose first `sfu-publish` got no answer (a timeout on a loaded machine, or
 * Janus refusing) offers again by itself after the bound, with new ICE credentials, and
 * comes up (issue 10: a page that never published). Janus stands in as a wrtc
 * connection that answers.
 */
import wrtc from '@roamhq/wrtc';
import { afterEach, expect, it, vi } from 'vitest';
import { frameFedVideoTrack } from '../../../test/mesh-network.js';
import { until } from '../../../test/until.js';
import type { SfuSignals } from './sfu-signals.js';
import { SfuPublisher } from './sfu-publisher.js';

vi.setConfig({ testTimeout: 60_000 });

const PC = wrtc.RTCPeerConnection as unknown as typeof RTCPeerConnection;
const undo: Array<() => void> = [];
afterEach(() => {
  for (const f of undo.splice(0).reverse()) {
    f();
  }
});

const ufrag = (sdp: string): string | undefined => /a=ice-ufrag:(\S+)/.exec(sdp)?.[1];

it('offers again when its first sfu-publish gets no answer, and comes up', async () => {
  const janus = new PC();
  const video = frameFedVideoTrack();
  const offers: string[] = [];
  const signals: SfuSignals = {
    publish: async (sdp) => {
      offers.push(sdp);
      if (offers.length === 1) {
        throw new Error('timeout: no answer to "sfu-publish" from the server');
      }
      await janus.setRemoteDescription({ type: 'offer', sdp });
      await janus.setLocalDescription(await janus.createAnswer());
      await until(() => janus.iceGatheringState === 'complete', 15_000, 'ICE gathering');
      return { type: 'answer', sdp: janus.localDescription?.sdp as string };
    },
    answer: () => Promise.resolve(),
    trickle: (_target, c) => {
      if (c) {
        janus.addIceCandidate(c).catch(() => undefined);
      }
    },
    layer: () => undefined,
    pause: () => undefined,
    restart: () => undefined,
  };
  const publisher = new SfuPublisher({
    RTCPeerConnection: PC,
    rtcConfig: {},
    signals,
    tracks: { audio: null, video: video.track },
    stream: null,
    uplinkBudget: false,
    connectBoundMs: 600,
  });
  const errors: Error[] = [];
  publisher.on('error', (e) => errors.push(e));
  undo.push(
    () => janus.close(),
    () => publisher.close(),
    video.stop,
  );
  const started = Date.now();
  await publisher.publish();
  expect(errors.map((e) => e.message)).toEqual([
    'timeout: no answer to "sfu-publish" from the server',
  ]);
  await until(() => offers.length === 2, 10_000, 'a second sfu-publish after the bound');
  expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  // A new offer with new ICE credentials, answered: the upload comes up.
  expect(ufrag(offers[1] as string)).not.toBe(ufrag(offers[0] as string));
  await until(() => publisher.pc.connectionState === 'connected', 20_000, 'connected');
  const sent = offers.length;
  await new Promise((r) => setTimeout(r, 1500));
  expect(offers.length).toBe(sent);
});
