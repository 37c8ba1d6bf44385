/**
 * The SFU topology's upload mends itself: a publish whose reply never came is offered
 * again, and a connection that breaks is offered again with new ICE credentials. Janus
 * stands in as a wrtc connection that answers our offers (`sfu-publish`); nothing here
 * receives.
 */
import { expect, it, vi } from 'vitest';
import { ParleyError } from '../../errors.js';
import { frameFedVideoTrack } from '../../../test/mesh-network.js';
import { until } from '../../../test/until.js';
import { PC, undoAfterEach } from '../../../test/wrtc-test-kit.js';
import { SfuPublisher } from './sfu-publisher.js';
import type { SfuSignals } from './sfu-signals.js';

// wrtc negotiates in this worker beside the other suites: generous waits.
vi.setConfig({ testTimeout: 60_000 });

const undo = undoAfterEach();

const ufrag = (sdp: string | undefined): string | undefined =>
  /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1];

/**
 * A publisher whose `publish` goes to `answerWith` (a Janus of wrtc answers each offer
 * it is given); what it sends is kept in `offers` and `trickled`.
 */
function uploading(
  answerWith: (sdp: string, attempt: number) => Promise<RTCSessionDescriptionInit>,
  graceMs = 15_000,
) {
  let janus = new PC();
  const offers: string[] = [];
  const trickled: Array<RTCIceCandidateInit | null> = [];
  const signals: SfuSignals = {
    publish: (sdp) => {
      offers.push(sdp);
      return answerWith(sdp, offers.length);
    },
    answer: () => Promise.resolve(),
    trickle: (target, c) => {
      if (target === 'publisher') {
        trickled.push(c);
        if (c) {
          janus.addIceCandidate(c).catch(() => undefined);
        }
      }
    },
    layer: () => undefined,
    pause: () => undefined,
    restart: () => undefined,
  };
  const video = frameFedVideoTrack();
  const publisher = new SfuPublisher({
    RTCPeerConnection: PC,
    rtcConfig: {},
    signals,
    tracks: { audio: null, video: video.track },
    stream: null,
    uplinkBudget: false,
    iceRestartGraceMs: graceMs,
    // Fast retries: the test is about retrying, not about the backoff's numbers.
    publishRetry: { nextDelayMs: () => 50 },
  });
  const errors: string[] = [];
  publisher.on('error', (err) => errors.push(err.message));
  undo.push(
    () => janus.close(),
    () => publisher.close(),
    video.stop,
  );
  /** Janus answers `sdp` on its connection (a fresh one after `replaceJanus`). */
  const janusAnswers = async (sdp: string): Promise<RTCSessionDescriptionInit> => {
    await janus.setRemoteDescription({ type: 'offer', sdp });
    await janus.setLocalDescription(await janus.createAnswer());
    await until(() => janus.iceGatheringState === 'complete', 15_000, 'ICE gathering');
    return { type: 'answer', sdp: janus.localDescription?.sdp as string };
  };
  const replaceJanus = (): void => {
    janus.close();
    janus = new PC();
  };
  return { publisher, offers, trickled, errors, janusAnswers, replaceJanus };
}

it('offers again when a publish gets no answer, and connects on the answer that comes', async () => {
  let answer: (sdp: string) => Promise<RTCSessionDescriptionInit> = () =>
    Promise.reject(new Error('unset'));
  const up = uploading((sdp, attempt) =>
    attempt === 1
      ? Promise.reject(new ParleyError('timeout', 'no answer to "sfu-publish" from the server'))
      : answer(sdp),
  );
  answer = up.janusAnswers;
  void up.publisher.publish();
  await until(() => up.offers.length === 2, 15_000, 'a second publish');
  expect(up.errors).toEqual(['no answer to "sfu-publish" from the server']);
  // The same credentials: Janus may have taken the first offer after all.
  expect(ufrag(up.offers[1])).toBe(ufrag(up.offers[0]));
  await until(() => up.publisher.pc.connectionState === 'connected', 30_000, 'the upload up');
  // The candidates held for the lost answer went out with the one that came.
  expect(up.trickled.filter((c) => c !== null).length).toBeGreaterThan(0);
  expect(up.offers).toHaveLength(2);
});

it('restarts ICE by itself when the upload breaks: a new publish with new credentials', async () => {
  const up = uploading((sdp) => up.janusAnswers(sdp), 200);
  void up.publisher.publish();
  await until(() => up.publisher.pc.connectionState === 'connected', 30_000, 'the upload up');
  // Janus's end goes away (its process restarted, a path lost): consent checks fail.
  up.replaceJanus();
  await until(() => up.offers.length >= 2, 45_000, 'a publish with an ICE restart');
  expect(ufrag(up.offers[1])).not.toBe(ufrag(up.offers[0]));
  await until(() => up.publisher.pc.connectionState === 'connected', 30_000, 'the upload back');
});

it('stops retrying once closed', async () => {
  const up = uploading(() => Promise.reject(new ParleyError('timeout', 'no answer')));
  void up.publisher.publish();
  await until(() => up.offers.length === 2, 15_000, 'a retry');
  up.publisher.close();
  const sent = up.offers.length;
  await new Promise((r) => setTimeout(r, 300));
  expect(up.offers.length).toBe(sent);
});
