import { Emitter, ExponentialBackoff, type ReconnectPolicy } from '@parley/common';
import {
  DEFAULT_UPLINK_BUDGET,
  planShareCaps,
  planVideoCaps,
  type UplinkBudgetOptions,
} from '../../bandwidth/uplink-plan.js';
import type { LocalTracks, TrackKind } from '../media-topology.js';
import { IceRestartWatchdog } from '../mesh/ice-restart.js';
import { applyScreenCaps } from '../mesh/mesh-uplink.js';
import { markAsScreen, preferResolution } from '../mesh/screen-slot.js';
import type { SfuSignals } from './sfu-signals.js';

/**
 * Three simulcast layers, highest first: Janus reads the rids in the order "h, m, l"
 * by default (its `rid_order` is `hml`), and its substream 0 is the lowest (`l`).
 */
export const SIMULCAST_ENCODINGS: readonly RTCRtpEncodingParameters[] = [
  { rid: 'h', scaleResolutionDownBy: 1 },
  { rid: 'm', scaleResolutionDownBy: 2 },
  { rid: 'l', scaleResolutionDownBy: 4 },
];

/** What a screen share sends, each on an m-line of its own after the camera's. */
const SCREEN_KINDS = ['screen', 'screen-audio'] as const;
type ScreenKind = (typeof SCREEN_KINDS)[number];

/** Of the video budget, what each layer may use (h, m, l): the top layer gets most. */
const LAYER_SHARE: Record<string, number> = { h: 0.65, m: 0.25, l: 0.1 };

export type PublisherEvents = {
  'connection-state': [state: RTCPeerConnectionState];
  error: [error: Error];
};

export interface PublisherOptions {
  RTCPeerConnection: typeof RTCPeerConnection;
  rtcConfig: RTCConfiguration;
  signals: SfuSignals;
  tracks: LocalTracks;
  stream: MediaStream | null;
  uplinkBudget: Partial<UplinkBudgetOptions> | false;
  /** How long the upload may stay `disconnected` before it restarts ICE by itself (ms). */
  iceRestartGraceMs: number;
  /** When to offer again after a publish that got no answer (default: 0.5 s doubling to 5 s). */
  publishRetry?: ReconnectPolicy;
}

/** Between two publishes that got no answer: from 0.25–0.5 s up to 2.5–5 s, for as long as it takes. */
const PUBLISH_RETRY = new ExponentialBackoff({ baseMs: 500, maxMs: 5000 });

/**
 * Our one upload to the SFU: a sendonly audio and video transceiver (video in three
 * simulcast layers where the implementation takes `sendEncodings` with rids), offered
 * with `sfu-publish` and answered by Janus (`sfu-answer`). Candidates go out with
 * `sfu-trickle {target: publisher}` once Janus has the offer (the server has no
 * publisher handle before). Mic and camera change with replaceTrack, never a
 * renegotiation.
 *
 * A screen share is a third m-line on the same connection, added the first time we share
 * and offered again through `sfu-publish` (Janus's multistream `configure`). Stopping
 * sets it inactive (offered again: Janus disables the stream and the others' subscriptions
 * drop it); sharing again reuses it. The server tells the others it is a screen by its
 * place: the second video m-line (docs/SFU.md, "Screen sharing"); its sound (a tab's
 * audio) likewise, a later audio m-line (`screen-audio`). One connection rather
 * than a second publisher handle: no second ICE and DTLS set-up, nothing new in the
 * protocol, and a renegotiation the server already carries.
 *
 * The upload mends itself as the download does: a publish that gets no answer (its reply
 * timed out on a starved machine, Janus refused it for a moment) is offered again with
 * backoff, and a connection that fails, or stays disconnected past the grace period, is
 * offered again with new ICE credentials. Without this one lost reply or one network
 * blip left a participant unheard and unseen by everyone for the rest of the call.
 */
export class SfuPublisher extends Emitter<PublisherEvents> {
  readonly pc: RTCPeerConnection;
  private readonly transceivers = new Map<TrackKind, RTCRtpTransceiver>();
  private _simulcast = false;
  /** Candidates gathered before Janus answered; null until then means "send at once". */
  private pending: Array<RTCIceCandidateInit | null> | null = [];
  private negotiating: Promise<void> = Promise.resolve();
  private budget: UplinkBudgetOptions | null;
  private readonly watchdog: IceRestartWatchdog;
  /** Publishes in a row that got no answer, and the timer of the next try. */
  private unanswered = 0;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(private readonly options: PublisherOptions) {
    super();
    this.budget =
      options.uplinkBudget === false ? null : { ...DEFAULT_UPLINK_BUDGET, ...options.uplinkBudget };
    this.pc = new options.RTCPeerConnection(options.rtcConfig);
    this.pc.onicecandidate = ({ candidate }) => {
      const c = candidate && candidate.candidate ? candidate.toJSON() : null;
      if (this.pending) {
        this.pending.push(c);
      } else {
        options.signals.trickle('publisher', c);
      }
    };
    // We offer, so we are the side that restarts (Janus never does).
    this.watchdog = new IceRestartWatchdog(() => void this.publish(true), {
      graceMs: options.iceRestartGraceMs,
      designated: true,
    });
    this.pc.onconnectionstatechange = () => {
      const state = this.pc.connectionState;
      this.watchdog.onConnectionState(state);
      if (state === 'connected') {
        void this.applyBudget();
      }
      this.emit('connection-state', state);
    };
    const streams = options.stream ? [options.stream] : [];
    this.transceivers.set(
      'audio',
      this.pc.addTransceiver(options.tracks.audio ?? 'audio', { direction: 'sendonly', streams }),
    );
    this.transceivers.set('video', this.addVideo(options.tracks.video, streams));
    // Shared before this topology existed (a switch between mesh and SFU mid-share).
    for (const kind of SCREEN_KINDS) {
      const track = options.tracks[kind];
      if (track) {
        this.addScreen(kind, track);
      }
    }
  }

  private addScreen(kind: ScreenKind, track: MediaStreamTrack): void {
    if (kind === 'screen') {
      markAsScreen(track);
    }
    const streams = this.options.stream ? [this.options.stream] : [];
    this.transceivers.set(kind, this.pc.addTransceiver(track, { direction: 'sendonly', streams }));
  }

  /** Whether a screen goes up now. */
  get sharing(): boolean {
    const screen = this.transceivers.get('screen');
    return Boolean(screen && screen.direction === 'sendonly' && screen.sender.track);
  }

  /** Video with three layers if the implementation takes them, else one (detected). */
  private addVideo(track: MediaStreamTrack | null, streams: MediaStream[]): RTCRtpTransceiver {
    try {
      const t = this.pc.addTransceiver(track ?? 'video', {
        direction: 'sendonly',
        streams,
        sendEncodings: SIMULCAST_ENCODINGS.map((e) => ({ ...e })),
      });
      this._simulcast = (t.sender.getParameters().encodings ?? []).length === 3;
      return t;
    } catch {
      this._simulcast = false;
      return this.pc.addTransceiver(track ?? 'video', { direction: 'sendonly', streams });
    }
  }

  /** Whether our video goes out in three layers (the offer says `a=simulcast`). */
  get simulcast(): boolean {
    return this._simulcast;
  }

  /** Offer and publish; again (with new ICE credentials) for an ICE restart. */
  publish(iceRestart = false): Promise<void> {
    this.negotiating = this.negotiating
      .then(() => this.negotiate(iceRestart))
      .catch((err: unknown) => this.fail(err));
    return this.negotiating;
  }

  private async negotiate(iceRestart: boolean): Promise<void> {
    if (this.closed) {
      return;
    }
    this.cancelRetry();
    // New candidates wait for the answer to the offer that carries their credentials.
    this.pending ??= [];
    const offer = await this.pc.createOffer(iceRestart ? { iceRestart: true } : {});
    await this.pc.setLocalDescription(offer);
    const sdp = this.pc.localDescription?.sdp ?? offer.sdp ?? '';
    if (this._simulcast && !/^a=simulcast:/m.test(sdp)) {
      this._simulcast = false;
    }
    let answer: RTCSessionDescriptionInit;
    try {
      answer = await this.options.signals.publish(sdp);
    } catch (err) {
      this.retryLater(iceRestart);
      throw err;
    }
    this.unanswered = 0;
    if (this.closed) {
      return;
    }
    await this.pc.setRemoteDescription(answer);
    const queued = this.pending ?? [];
    this.pending = null;
    for (const c of queued) {
      this.options.signals.trickle('publisher', c);
    }
    if (this.pc.connectionState === 'connected') {
      // A renegotiation (a screen came or went): the split of the budget changed.
      await this.applyBudget();
    }
  }

  async setTrack(kind: TrackKind, track: MediaStreamTrack | null): Promise<void> {
    if (this.closed) {
      return;
    }
    if (kind === 'screen' || kind === 'screen-audio') {
      await this.setScreen(kind, track);
      return;
    }
    await this.transceivers.get(kind)?.sender.replaceTrack(track);
  }

  /**
   * Share a screen (or its sound) or stop: a renegotiation when the m-line comes, goes
   * or comes back.
   */
  private async setScreen(kind: ScreenKind, track: MediaStreamTrack | null): Promise<void> {
    const screen = this.transceivers.get(kind);
    if (!screen) {
      if (track) {
        this.addScreen(kind, track);
        await this.publish();
      }
      return;
    }
    const direction: RTCRtpTransceiverDirection = track ? 'sendonly' : 'inactive';
    if (track && kind === 'screen') {
      markAsScreen(track);
    }
    await screen.sender.replaceTrack(track);
    if (screen.direction !== direction) {
      screen.direction = direction;
      await this.publish();
    } else {
      await this.applyBudget();
    }
  }

  /** The sender of one kind (stats). */
  sender(kind: TrackKind): RTCRtpSender | undefined {
    return this.transceivers.get(kind)?.sender;
  }

  async setBudget(budgetBps: number): Promise<void> {
    this.budget = { ...(this.budget ?? DEFAULT_UPLINK_BUDGET), budgetBps };
    await this.applyBudget();
  }

  /**
   * One upload whatever the room's size: the plan for a single copy, split over the
   * layers by LAYER_SHARE (each layer keeps its own resolution), or the single layer
   * capped as the mesh caps a copy. While a screen is shared it takes most of the video
   * budget, as in a mesh (planShareCaps), at its full resolution and a text-friendly
   * frame rate (preferResolution).
   */
  private async applyBudget(): Promise<void> {
    const sender = this.sender('video');
    if (!this.budget || !sender || this.closed) {
      return;
    }
    let caps = planVideoCaps(1, this.budget);
    if (this.sharing) {
      const share = planShareCaps(1, this.budget);
      caps = share.camera;
      const screen = this.sender('screen');
      await applyScreenCaps(screen, share.screen);
      if (screen) {
        await preferResolution(screen);
      }
    }
    const params = sender.getParameters();
    const encodings = params.encodings ?? [];
    if (encodings.length === 0) {
      return;
    }
    for (const e of encodings) {
      if (e.rid && encodings.length > 1) {
        e.maxBitrate = Math.floor(caps.maxBitrate * (LAYER_SHARE[e.rid] ?? 1));
      } else {
        e.maxBitrate = caps.maxBitrate;
        e.scaleResolutionDownBy = caps.scaleResolutionDownBy;
        e.maxFramerate = caps.maxFramerate;
      }
    }
    try {
      await sender.setParameters(params);
    } catch {
      // Renegotiating or closed meanwhile; applied again on the next connect.
    }
  }

  setConfiguration(config: RTCConfiguration): void {
    try {
      this.pc.setConfiguration(config);
    } catch {
      /* an implementation may refuse; the next connection gets it */
    }
  }

  /**
   * Offer again after a publish that got no answer. Its candidates stay held for the
   * answer that comes: Janus may have taken the lost one (its reply came late), and the
   * next offer keeps the same credentials then, or it may not have.
   */
  private retryLater(iceRestart: boolean): void {
    if (this.closed) {
      return;
    }
    const policy = this.options.publishRetry ?? PUBLISH_RETRY;
    const delay = policy.nextDelayMs(this.unanswered++);
    if (delay === null) {
      return;
    }
    this.cancelRetry();
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.publish(iceRestart);
    }, delay);
  }

  private cancelRetry(): void {
    if (this.retry) {
      clearTimeout(this.retry);
      this.retry = null;
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
    this.cancelRetry();
    this.watchdog.stop();
    this.pc.onicecandidate = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
    this.removeAllListeners();
  }
}
