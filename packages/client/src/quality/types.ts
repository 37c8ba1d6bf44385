/** How a connection to one participant is doing, at a glance. */
export type QualityGrade = 'good' | 'fair' | 'poor';

/**
 * Why a grade is not "good", as stable codes (the UI words them, e.g.
 * `loss-in` → "high packet loss from Ana").
 */
export type QualityIssue =
  /** Packets from them are being lost on the way to us. */
  | 'loss-in'
  /** Our packets are being lost on the way to them (their receiver reports). */
  | 'loss-out'
  /** Round-trip time is high: conversation feels laggy. */
  | 'rtt'
  /** Packet arrival is irregular: audio may stutter. */
  | 'jitter'
  /** Their camera is on but no video frames arrived in the last interval. */
  | 'video-stalled'
  /** Our encoder lowers quality because our CPU is busy. */
  | 'cpu-limited'
  /** The media path is down (ICE disconnected, failed or restarting). */
  | 'disconnected';

/** Whether media goes straight between the two browsers or through a TURN relay. */
export type MediaPath = 'direct' | 'relayed' | 'unknown';

export interface VideoFlow {
  width: number | null;
  height: number | null;
  /** Frames per second over the last interval. */
  fps: number | null;
}

/** What getStats() says about the media with one participant over one interval, in plain figures. */
export interface PathFigures {
  path: MediaPath;
  /** Transport to the TURN server when relayed: udp, tcp or tls. */
  relayProtocol: string | null;
  localCandidateType: string | null;
  remoteCandidateType: string | null;
  /** Round-trip time of the selected candidate pair, ms. */
  rttMs: number | null;
  /** Share of their packets we did not receive over the interval, percent. */
  lossInPct: number | null;
  /** Share of our packets they did not receive (their reports), percent. */
  lossOutPct: number | null;
  /** Inbound audio jitter, ms (video when there is no audio). */
  jitterMs: number | null;
  /** Bits per second received from them and sent to them over the interval. */
  bitrateInBps: number;
  bitrateOutBps: number;
  videoIn: VideoFlow | null;
  videoOut: (VideoFlow & { qualityLimitation: string | null }) | null;
}

/** One sample for one participant, every `intervalMs` (2 s by default). */
export interface PeerQuality extends PathFigures {
  peerId: string;
  /** When the sample was taken, ms since epoch. */
  at: number;
  grade: QualityGrade;
  issues: QualityIssue[];
  /** Video frames decoded from them since the connection started. */
  framesDecoded: number;
}
