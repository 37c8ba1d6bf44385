/**
 * How much video each peer connection may send so that, in a full mesh, the sum over
 * all of them stays under one uplink budget. Each extra participant is one more copy of
 * our camera to upload, so the per-copy bitrate, resolution and frame rate come down as
 * the room grows and go back up as it shrinks.
 */

export interface UplinkBudgetOptions {
  /** Total we may upload, audio and video to everyone, in bits per second. */
  budgetBps: number;
  /** Set aside per peer for audio (Opus voice plus RTP overhead). */
  audioBpsPerPeer: number;
  /** No single copy gets more than this: a webcam gains nothing above it. */
  maxVideoBpsPerPeer: number;
  /** No copy is squeezed below this, even if it means exceeding a tiny budget. */
  minVideoBpsPerPeer: number;
}

export const DEFAULT_UPLINK_BUDGET: UplinkBudgetOptions = {
  budgetBps: 2_500_000,
  audioBpsPerPeer: 50_000,
  maxVideoBpsPerPeer: 1_500_000,
  minVideoBpsPerPeer: 60_000,
};

/** What goes into RTCRtpEncodingParameters for the video sender of each peer. */
export interface VideoCaps {
  maxBitrate: number;
  scaleResolutionDownBy: number;
  maxFramerate: number;
}

/**
 * Resolution and frame rate for a bitrate: spending few bits on many pixels looks worse
 * than a smaller, sharper picture, and the encoder also uses less CPU per copy (which
 * matters with five copies on a laptop). Thresholds follow libwebrtc's own
 * resolution-per-bitrate ladder for VP8, rounded.
 */
const LADDER: ReadonlyArray<{ minBps: number; scale: number; fps: number }> = [
  { minBps: 700_000, scale: 1, fps: 30 },
  { minBps: 350_000, scale: 1.5, fps: 30 },
  { minBps: 180_000, scale: 2, fps: 24 },
  { minBps: 0, scale: 4, fps: 15 },
];

/**
 * Caps for each of `peerCount` video copies. RTP headers, RTCP and retransmissions
 * ride on top of the encoder's target, so 10% of the video share is kept as headroom.
 */
export function planVideoCaps(
  peerCount: number,
  options: UplinkBudgetOptions = DEFAULT_UPLINK_BUDGET,
): VideoCaps {
  const n = Math.max(1, peerCount);
  const videoShare = (options.budgetBps - options.audioBpsPerPeer * n) / n;
  const target = Math.floor(
    Math.max(options.minVideoBpsPerPeer, Math.min(options.maxVideoBpsPerPeer, videoShare * 0.9)),
  );
  const step =
    LADDER.find((s) => target >= s.minBps) ??
    (LADDER[LADDER.length - 1] as (typeof LADDER)[number]);
  return { maxBitrate: target, scaleResolutionDownBy: step.scale, maxFramerate: step.fps };
}
