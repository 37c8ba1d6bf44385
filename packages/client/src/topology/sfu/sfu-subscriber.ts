import type { SfuStream } from '@parley/protocol';
import { Emitter } from '@parley/common';
import type { TrackKind } from '../media-topology.js';
import { DEFAULT_ICE_RESTART_GRACE_MS, IceRestartWatchdog } from '../mesh/ice-restart.js';
import type { SfuSignals } from './sfu-signals.js';

export type SubscriberEvents = {
  /** After each negotiation: every participant's current tracks, by kind. */
  tracks: [tracks: ReadonlyMap<string, ReadonlyMap<TrackKind, MediaStreamTrack>>];
  'connection-state': [state: RTCPeerConnectionState];
  /** Janus took our answer: the subscription is live (a layer choice now sticks). */
  negotiated: [];
  error: [error: Error];
};

/**
 * Everyone else's media, on one connection that Janus offers (`sfu-offer`, again
 * whenever the set of streams changes) and we answer (`sfu-subscriber-answer`). The
 * offer's `streams` say whose stream each m-line carries; after every negotiation the
 * tracks are read again from the transceivers by mid, so a reused m-line maps to its
 * new owner. Candidates go out once Janus has the answer they belong to.
 *
 * Only we can restart ICE on it (Janus never does): after `graceMs` disconnected, or at
 * once when failed, `sfu-restart` asks the server for a new offer with new credentials,
 * with the mesh's backoff between attempts (`IceRestartWatchdog`, as the designated side).
 */
export class SfuSubscriber extends Emitter<SubscriberEvents> {
  private pc: RTCPeerConnection | null = null;
  private streams: SfuStream[] = [];
  private pending: Array<RTCIceCandidateInit | null> | null = [];
  private inbox: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly watchdog: IceRestartWatchdog;

  constructor(
    private readonly PC: typeof RTCPeerConnection,
    private rtcConfig: RTCConfiguration,
    private readonly signals: SfuSignals,
    graceMs = DEFAULT_ICE_RESTART_GRACE_MS,
  ) {
    super();
    this.watchdog = new IceRestartWatchdog(() => this.restartIce(), {
      graceMs,
      designated: true,
    });
  }

  /** Restarts asked for since the connection was last connected. */
  get iceRestarts(): number {
    return this.watchdog.restarts;
  }

  /** Ask for a new offer with new ICE credentials (it comes as `sfu-offer`). */
  restartIce(): void {
    if (!this.closed && this.pc) {
      this.signals.restart();
    }
  }

  /** Apply an `sfu-offer`; offers are taken one at a time, in order. */
  handleOffer(sdp: string, streams: SfuStream[]): Promise<void> {
    this.inbox = this.inbox
      .then(() => this.apply(sdp, streams))
      .catch((err: unknown) => this.fail(err));
    return this.inbox;
  }

  private connection(): RTCPeerConnection {
    if (this.pc) {
      return this.pc;
    }
    const pc = new this.PC(this.rtcConfig);
    pc.onicecandidate = ({ candidate }) => {
      const c = candidate && candidate.candidate ? candidate.toJSON() : null;
      if (this.pending) {
        this.pending.push(c);
      } else {
        this.signals.trickle('subscriber', c);
      }
    };
    pc.onconnectionstatechange = () => {
      this.watchdog.onConnectionState(pc.connectionState);
      this.emit('connection-state', pc.connectionState);
    };
    this.pc = pc;
    return pc;
  }

  private async apply(sdp: string, streams: SfuStream[]): Promise<void> {
    if (this.closed) {
      return;
    }
    const pc = this.connection();
    // Candidates of this negotiation (new ones after an ICE restart) wait for Janus to
    // have the answer they belong to.
    this.pending ??= [];
    await pc.setRemoteDescription({ type: 'offer', sdp });
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    this.streams = streams;
    this.emit('tracks', this.tracks());
    try {
      await this.signals.answer(pc.localDescription?.sdp ?? answer.sdp ?? '');
    } finally {
      // Sent even when the reply to the answer is lost (a timeout on a starved
      // machine): the answer went out before them on the same socket, and Janus may
      // well have taken it. Held back, they would wait for the next negotiation.
      this.flushPending();
    }
    this.emit('negotiated');
  }

  private flushPending(): void {
    const queued = this.pending;
    this.pending = null;
    for (const c of queued ?? []) {
      this.signals.trickle('subscriber', c);
    }
  }

  /** Each participant's tracks now: the streams of the latest offer, found by mid. */
  tracks(): Map<string, Map<TrackKind, MediaStreamTrack>> {
    const out = new Map<string, Map<TrackKind, MediaStreamTrack>>();
    for (const { transceiver, stream } of this.receiving()) {
      const kind = stream.kind as TrackKind;
      let mine = out.get(stream.peerId);
      if (!mine) {
        mine = new Map();
        out.set(stream.peerId, mine);
      }
      mine.set(kind, transceiver.receiver.track);
    }
    return out;
  }

  /** The transceivers carrying an audio or video stream of the latest offer. */
  private receiving(): Array<{ transceiver: RTCRtpTransceiver; stream: SfuStream }> {
    if (!this.pc) {
      return [];
    }
    const byMid = new Map(this.pc.getTransceivers().map((t) => [t.mid, t]));
    return this.streams.flatMap((stream) => {
      const transceiver = byMid.get(stream.mid);
      return transceiver && stream.kind !== 'data' && transceiver.currentDirection !== 'stopped'
        ? [{ transceiver, stream }]
        : [];
    });
  }

  /** The receivers of one participant's streams. */
  receivers(peerId: string): Array<{ kind: TrackKind; receiver: RTCRtpReceiver; mid: string }> {
    return this.receiving()
      .filter((r) => r.stream.peerId === peerId)
      .map((r) => ({
        kind: r.stream.kind as TrackKind,
        receiver: r.transceiver.receiver,
        mid: r.stream.mid,
      }));
  }

  get connectionState(): RTCPeerConnectionState {
    return this.pc?.connectionState ?? 'new';
  }

  getStats(): Promise<RTCStatsReport> | null {
    return this.pc ? this.pc.getStats() : null;
  }

  setConfiguration(config: RTCConfiguration): void {
    this.rtcConfig = config;
    try {
      this.pc?.setConfiguration(config);
    } catch {
      /* an implementation may refuse; nothing else to do */
    }
  }

  private fail(err: unknown): void {
    if (!this.closed) {
      this.emit('error', err instanceof Error ? err : new Error(String(err)));
    }
  }

  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.watchdog.stop();
    if (this.pc) {
      this.pc.onicecandidate = null;
      this.pc.onconnectionstatechange = null;
      this.pc.close();
    }
    this.removeAllListeners();
  }
}
