/**
 * A real Janus for the SFU suites, configured by `parley janus-config` itself (so the
 * tests load the configuration operators deploy), and WebRTC peers in Node
 * (@roamhq/wrtc) that publish and subscribe through it. Janus missing: skipped loudly on
 * a laptop, a failure when CI=true (like store-backends.ts).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import wrtc from '@roamhq/wrtc';
import { janusConfigCommand } from '../../src/cli/janus-config.js';
import type { Jsep, TrickleCandidate } from '../../src/sfu/index.js';
import { JANUS, startJanus, type JanusProcess } from '../../../../e2e/fixtures/janus.js';

/** Why Janus cannot be started here, or null. */
export const janusProblem: string | null = existsSync(JANUS)
  ? null
  : `janus not found at ${JANUS} (apt-get install janus; .ci/run does)`;
if (janusProblem) {
  if (process.env.CI === 'true') {
    throw new Error(`CI: ${janusProblem}`);
  }
  console.warn(`SKIPPED (the Janus suites): ${janusProblem}`);
}

export interface TestJanus {
  readonly process: JanusProcess;
  readonly url: string;
  readonly apiSecret: string;
  readonly adminKey: string;
  /** What a Parley server needs to reach this Janus (`startServer({ ...sfuOptions })`). */
  readonly sfuOptions: { sfuUrl: string; sfuApiSecret: string; sfuAdminKey: string };
}

/**
 * Janus configured by `parley janus-config --out <its folder>` (the command operators
 * run), on a random loopback port and RTP ports of its own.
 */
export async function startParleyJanus(
  settings: { sessionTimeout?: number; stringIds?: boolean } = {},
): Promise<TestJanus> {
  const apiSecret = randomBytes(16).toString('hex');
  const adminKey = randomBytes(16).toString('hex');
  const process = await startJanus({
    files: (layout) => {
      janusConfigCommand(
        [
          '--out',
          layout.configDir,
          '--sfu-url',
          `ws://127.0.0.1:${layout.wsPort}`,
          '--sfu-api-secret',
          apiSecret,
          '--sfu-admin-key',
          adminKey,
          `--sfu-string-ids=${settings.stringIds ?? true}`,
          '--janus-rtp-ports',
          layout.rtpPorts,
          '--janus-lib-dir',
          layout.libDir,
          '--janus-session-timeout',
          String(settings.sessionTimeout ?? 60),
        ],
        {},
        () => {},
        () => {},
      );
      return {};
    },
  });
  return {
    process,
    url: process.url,
    apiSecret,
    adminKey,
    sfuOptions: { sfuUrl: process.url, sfuApiSecret: apiSecret, sfuAdminKey: adminKey },
  };
}

/** Resolves when `check` holds, polling every 50 ms; rejects after `timeoutMs`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A PeerConnection in Node; `candidates` collects its local ICE candidates. */
export interface NodePeer {
  readonly pc: RTCPeerConnection;
  /** Local candidates so far; `null` last once gathering is complete. */
  readonly candidates: Array<TrickleCandidate | null>;
  close(): void;
}

function nodePeer(): NodePeer {
  const pc = new wrtc.RTCPeerConnection() as unknown as RTCPeerConnection;
  const candidates: Array<TrickleCandidate | null> = [];
  pc.onicecandidate = (e) => {
    candidates.push(
      e.candidate
        ? {
            candidate: e.candidate.candidate,
            sdpMid: e.candidate.sdpMid,
            sdpMLineIndex: e.candidate.sdpMLineIndex,
          }
        : null,
    );
  };
  return { pc, candidates, close: () => pc.close() };
}

/** A publisher with a microphone and a camera track (wrtc's synthetic sources). */
export async function publisherPeer(): Promise<NodePeer & { offer: Jsep }> {
  const peer = nodePeer();
  const audio = new wrtc.nonstandard.RTCAudioSource().createTrack() as unknown as MediaStreamTrack;
  const video = new wrtc.nonstandard.RTCVideoSource().createTrack() as unknown as MediaStreamTrack;
  peer.pc.addTransceiver(audio, { direction: 'sendonly' });
  peer.pc.addTransceiver(video, { direction: 'sendonly' });
  const offer = await peer.pc.createOffer();
  await peer.pc.setLocalDescription(offer);
  return {
    ...peer,
    offer: { type: 'offer', sdp: offer.sdp as string },
    close() {
      audio.stop();
      video.stop();
      peer.close();
    },
  };
}

/** A receiving peer that answers Janus's `offer`. */
export async function subscriberPeer(offer: Jsep): Promise<NodePeer & { answer: Jsep }> {
  const peer = nodePeer();
  await peer.pc.setRemoteDescription(offer);
  const answer = await peer.pc.createAnswer();
  await peer.pc.setLocalDescription(answer);
  return { ...peer, answer: { type: 'answer', sdp: answer.sdp as string } };
}

/** The m-lines of an SDP: "audio", "video"… in order. */
export function mediaKinds(sdp: string): string[] {
  return [...sdp.matchAll(/^m=(\w+) /gm)].map((m) => m[1] as string);
}
