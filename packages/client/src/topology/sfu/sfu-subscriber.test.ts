/**
 * A download that never comes up asks for a fresh offer by itself (issue 10): here the
 * server refuses our first answer (as a Janus that lost it would leave the connection
 * without a remote description), so the connection stays `new`; after the bound the
 * subscriber sends `sfu-restart`, the stand-in Janus (a wrtc connection) offers again
 * with new credentials, and the connection comes up.
 */
import wrtc from '@roamhq/wrtc';
import { afterEach, expect, it, vi } from 'vitest';
import { frameFedVideoTrack } from '../../../test/mesh-network.js';
import { until } from '../../../test/until.js';
import type { SfuSignals } from './sfu-signals.js';
import { SfuSubscriber } from './sfu-subscriber.js';

vi.setConfig({ testTimeout: 60_000 });

const PC = wrtc.RTCPeerConnection as unknown as typeof RTCPeerConnection;
const undo: Array<() => void> = [];
afterEach(() => {
  for (const f of undo.splice(0).reverse()) {
    f();
  }
});

it('asks for a fresh offer (sfu-restart) when a negotiated download does not come up', async () => {
  const janus = new PC();
  const video = frameFedVideoTrack();
  janus.addTransceiver(video.track, { direction: 'sendonly' });
  const restarts: number[] = [];
  let refuse = true;
  const signals: SfuSignals = {
    publish: () => new Promise(() => undefined),
    answer: async (sdp) => {
      if (refuse) {
        refuse = false;
        throw new Error('sfu_refused: the SFU refused the answer');
      }
      await janus.setRemoteDescription({ type: 'answer', sdp });
    },
    trickle: (_target, c) => {
      if (c) {
        janus.addIceCandidate(c).catch(() => undefined);
      }
    },
    layer: () => undefined,
    pause: () => undefined,
    restart: () => restarts.push(Date.now()),
  };
  const subscriber = new SfuSubscriber(PC, {}, signals, 4000, 600);
  const errors: Error[] = [];
  subscriber.on('error', (e) => errors.push(e));
  undo.push(
    () => janus.close(),
    () => subscriber.close(),
    video.stop,
  );
  const offer = async (iceRestart: boolean): Promise<void> => {
    await janus.setLocalDescription(await janus.createOffer({ iceRestart }));
    await until(() => janus.iceGatheringState === 'complete', 15_000, 'ICE gathering');
    const mid = janus.getTransceivers()[0]?.mid as string;
    await subscriber.handleOffer(janus.localDescription?.sdp as string, [
      { mid, peerId: 'ana', kind: 'video' },
    ]);
  };

  const offered = Date.now();
  await offer(false);
  expect(errors.map((e) => e.message)).toEqual(['sfu_refused: the SFU refused the answer']);
  expect(subscriber.connectionState).not.toBe('connected');
  await until(() => restarts.length === 1, 10_000, 'sfu-restart after the bound');
  // Not before the bound.
  expect((restarts[0] as number) - offered).toBeGreaterThanOrEqual(500);

  // The server's fresh offer (Janus: configure {restart: true}) is answered and taken.
  await offer(true);
  await until(() => subscriber.connectionState === 'connected', 20_000, 'connected');
  expect(subscriber.tracks().get('ana')?.has('video')).toBe(true);
  // Up: no more restarts.
  const asked = restarts.length;
  await new Promise((r) => setTimeout(r, 1500));
  expect(restarts.length).toBe(asked);
});
