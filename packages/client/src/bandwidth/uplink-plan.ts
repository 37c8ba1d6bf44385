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

/** What goes into the screen sender's encoding: full resolution, few frames. */
export interface ScreenCaps {
  maxBitrate: number;
  maxFramerate: number;
}

/** Of the video share, what a screen gets while it is shared; the camera keeps the rest. */
export const SCREEN_SHARE_OF_VIDEO = 0.7;

/**
 * Caps for each of `peerCount` copies of the camera and of a shared screen. Text needs
 * its pixels more than motion, so the screen keeps full resolution and trades frame rate
 * (15 fps with bits to spare, down to 5) and takes most of the video share; the camera,
 * now a thumbnail for the others, goes down the ladder with the rest. The sum stays
 * within the budget that planVideoCaps would give the camera alone.
 */
export function planShareCaps(
  peerCount: number,
  options: UplinkBudgetOptions = DEFAULT_UPLINK_BUDGET,
): { camera: VideoCaps; screen: ScreenCaps } {
  const whole = planVideoCaps(peerCount, options).maxBitrate;
  const screenBps = Math.floor(whole * SCREEN_SHARE_OF_VIDEO);
  const cameraBps = Math.max(options.minVideoBpsPerPeer, whole - screenBps);
  const step =
    LADDER.find((s) => cameraBps >= s.minBps) ??
    (LADDER[LADDER.length - 1] as (typeof LADDER)[number]);
  const screenFps = screenBps >= 500_000 ? 15 : screenBps >= 200_000 ? 8 : 5;
  return {
    camera: { maxBitrate: cameraBps, scaleResolutionDownBy: step.scale, maxFramerate: step.fps },
    screen: { maxBitrate: screenBps, maxFramerate: screenFps },
  };
}
