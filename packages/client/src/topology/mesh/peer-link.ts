import { Emitter } from '@parley/common';
import { DEFAULT_ICE_RESTART_GRACE_MS, IceRestartWatchdog } from './ice-restart.js';
import { ScreenSlot, isCameraTransceiver } from './screen-slot.js';

export type SignalPayload =
  | { description: RTCSessionDescriptionInit; candidate?: undefined }
  | { candidate: RTCIceCandidateInit; description?: undefined };

export type MediaKind = 'audio' | 'video' | 'screen' | 'screen-audio';

export type PeerLinkEvents = {
  /** A remote track arrived (or was replaced). */
  track: [track: MediaStreamTrack, kind: MediaKind];
  /** The far side stopped sending this kind (a screen share ended). */
  'track-ended': [kind: MediaKind];
  /** An offer/answer exchange completed (senders may have new encodings to cap). */
  negotiated: [];
  /** RTCPeerConnection.connectionState changed. */
  'connection-state': [state: RTCPeerConnectionState];
  /** The shared data channel opened. */
  'channel-open': [channel: RTCDataChannel];
  /** A message on the shared data channel. */
  'channel-message': [data: string | ArrayBuffer];
  /** The far side opened a channel of its own (not the shared one) to us. */
  'data-channel': [channel: RTCDataChannel];
  /** ICE is being restarted on this connection (the media path broke). */
  'ice-restart': [];
  /** Negotiation failed in a way the pattern could not recover from (logged, link kept). */
  error: [error: Error];
};

export interface PeerLinkOptions {
  remoteId: string;
  /** The polite side yields on offer collision. Decide it the same way on both ends. */
  polite: boolean;
  /**
   * The initiator (the newcomer) offers first. The other side waits for that offer
   * before it adds its own media, so a call sets up in one round trip, not in a glare.
   */
  initiator: boolean;
  rtcConfig: RTCConfiguration;
  /** Deliver a signal to the remote side (through the server). */
  sendSignal: (payload: SignalPayload) => void;
  /** The tracks to send, by kind; null sends nothing on that kind (yet). */
  tracks: {
    audio: MediaStreamTrack | null;
    video: MediaStreamTrack | null;
    screen?: MediaStreamTrack | null;
    'screen-audio'?: MediaStreamTrack | null;
  };
  /** The MediaStream the tracks belong to (so the far side groups them). */
  stream?: MediaStream | null;
  /** RTCPeerConnection constructor; the global one by default (inject @roamhq/wrtc in Node). */
  RTCPeerConnection?: typeof RTCPeerConnection;
  /** How long `disconnected` may last before ICE is restarted (ms); see ice-restart.ts. */
  iceRestartGraceMs?: number;
}

/** Decide politeness the same way on both sides: the lower peer id is polite. */
export function isPolite(localId: string, remoteId: string): boolean {
  return localId < remoteId;
}

/**
 * One RTCPeerConnection to one remote participant, following the W3C "perfect
 * negotiation" pattern (webrtc/samples peer.js), with the sample's flag names.
 *
 * Layout: one audio and one video transceiver plus one negotiated data channel (id 0),
 * made by the initiator and reused by the answerer. Muting and camera off replace the
 * sender's track and never renegotiate. A screen share is a further video transceiver
 * that the sharing side adds (screen-slot.ts): the first video m-line is always the
 * camera, any later one a screen, so the far side tells them apart without a message;
 * likewise the screen's sound on a later audio m-line.
 */
export class PeerLink extends Emitter<PeerLinkEvents> {
  readonly pc: RTCPeerConnection;
  readonly remoteId: string;
  readonly polite: boolean;
  private makingOffer = false;
  private ignoreOffer = false;
  private isSettingRemoteAnswerPending = false;
  /** Candidates that arrived before a remote description could take them. */
  private pendingCandidates: RTCIceCandidateInit[] = [];
  /** Incoming signals are applied one at a time, in arrival order. */
  private inbox: Promise<void> = Promise.resolve();
  private tracks: { audio: MediaStreamTrack | null; video: MediaStreamTrack | null };
  private readonly screen: ScreenSlot;
  private readonly screenAudio: ScreenSlot;
  private stream: MediaStream | null;
  private mediaAttached = false;
  private channel: RTCDataChannel | null = null;
  private closed = false;
  private readonly watchdog: IceRestartWatchdog;

  constructor(private readonly options: PeerLinkOptions) {
    super();
    this.remoteId = options.remoteId;
    this.polite = options.polite;
    this.tracks = { audio: options.tracks.audio, video: options.tracks.video };
    this.stream = options.stream ?? null;
    const PC = options.RTCPeerConnection ?? globalThis.RTCPeerConnection;
    this.pc = new PC(options.rtcConfig);
    this.screen = new ScreenSlot(this.pc, options.tracks.screen ?? null, {
      added: (track) => this.emit('track', track, 'screen'),
      removed: () => this.emit('track-ended', 'screen'),
    });
    this.screenAudio = new ScreenSlot(
      this.pc,
      options.tracks['screen-audio'] ?? null,
      {
        added: (track) => this.emit('track', track, 'screen-audio'),
        removed: () => this.emit('track-ended', 'screen-audio'),
      },
      'audio',
    );
    this.pc.onicecandidate = ({ candidate }) => {
      if (candidate && candidate.candidate) {
        options.sendSignal({ candidate: candidate.toJSON() });
      }
    };
    this.pc.onnegotiationneeded = () => void this.negotiate();
    // The impolite side restarts ICE, so the two ends never restart into a glare.
    this.watchdog = new IceRestartWatchdog(() => this.restartIce(), {
      graceMs: options.iceRestartGraceMs ?? DEFAULT_ICE_RESTART_GRACE_MS,
      designated: !options.polite,
    });
    this.pc.onconnectionstatechange = () => {
      const state = this.pc.connectionState;
      this.watchdog.onConnectionState(state);
      this.emit('connection-state', state);
    };
    this.pc.ontrack = (ev) => {
      // A screen's track (and its sound) is announced once its m-line is negotiated
      // (screen-slot.ts).
      if (!isCameraTransceiver(this.pc, ev.transceiver)) {
        return;
      }
      this.emit('track', ev.track, ev.track.kind as MediaKind);
    };
    // Only channels the far side creates in band arrive here; the shared one is negotiated.
    this.pc.ondatachannel = (ev) => this.emit('data-channel', ev.channel);
    if (options.initiator) {
      this.attachMedia(null);
      // Offer now rather than on the negotiationneeded event: that event is a queued
      // task, and in a busy page (the app rendering the newcomer's call view) it waits
      // behind the rendering, delaying the first offer by tens of milliseconds.
      void this.negotiate();
    }
  }

  /** Current RTCPeerConnection.connectionState. */
  get connectionState(): RTCPeerConnectionState {
    return this.pc.connectionState;
  }

  /**
   * Put our tracks on the connection. The initiator creates the transceivers; the
   * answerer reuses the ones the offer created (one m-line per kind either way).
   */
  private attachMedia(offerTransceivers: RTCRtpTransceiver[] | null): void {
    if (this.mediaAttached) {
      return;
    }
    this.mediaAttached = true;
    const streams = this.stream ? [this.stream] : [];
    for (const kind of ['audio', 'video'] as const) {
      const track = this.tracks[kind];
      const existing = offerTransceivers?.find(
        (t) => t.receiver.track.kind === kind && t.currentDirection !== 'stopped',
      );
      if (existing) {
        existing.direction = 'sendrecv';
        if (streams.length > 0 && 'setStreams' in existing.sender) {
          existing.sender.setStreams(...streams);
        }
        if (track) {
          void existing.sender.replaceTrack(track);
        }
      } else {
        this.pc.addTransceiver(track ?? kind, { direction: 'sendrecv', streams });
      }
    }
    const channel = this.pc.createDataChannel('parley', { negotiated: true, id: 0 });
    // After the camera, so the camera keeps the first video m-line.
    this.screen.attach();
    this.screenAudio.attach();
    channel.binaryType = 'arraybuffer';
    channel.onopen = () => this.emit('channel-open', channel);
    channel.onmessage = (ev) => this.emit('channel-message', ev.data as string | ArrayBuffer);
    this.channel = channel;
  }

  /** The shared data channel, once it is open. */
  get dataChannel(): RTCDataChannel | null {
    return this.channel && this.channel.readyState === 'open' ? this.channel : null;
  }

  private async negotiate(): Promise<void> {
    // One offer at a time: the browser fires negotiationneeded again on returning to
    // stable if something still needs negotiating.
    if (this.closed || this.makingOffer) {
      return;
    }
    try {
      this.makingOffer = true;
      const offer = await this.pc.createOffer();
      // A remote offer may have landed while we were creating ours.
      if (this.pc.signalingState !== 'stable') {
        return;
      }
      await this.pc.setLocalDescription(offer);
      const local = this.pc.localDescription;
      if (local) {
        this.options.sendSignal({ description: { type: local.type, sdp: local.sdp } });
      }
    } catch (err) {
      this.fail(err);
    } finally {
      this.makingOffer = false;
    }
  }

  /** Apply a signal from the remote side. Safe to call in any order and at any rate. */
  handleSignal(payload: SignalPayload): Promise<void> {
    this.inbox = this.inbox.then(() => this.apply(payload)).catch((err: unknown) => this.fail(err));
    return this.inbox;
  }

  private async apply(payload: SignalPayload): Promise<void> {
    if (this.closed) {
      return;
    }
    const { description, candidate } = payload;
    if (description) {
      const readyForOffer =
        !this.makingOffer &&
        (this.pc.signalingState === 'stable' || this.isSettingRemoteAnswerPending);
      const offerCollision = description.type === 'offer' && !readyForOffer;
      this.ignoreOffer = !this.polite && offerCollision;
      if (this.ignoreOffer) {
        return;
      }
      if (description.type === 'offer') {
        this.watchdog.onRemoteOffer();
      }
      this.isSettingRemoteAnswerPending = description.type === 'answer';
      if (offerCollision) {
        // Explicit rollback (implicit rollback is not everywhere, e.g. older libwebrtc builds).
        await this.pc.setLocalDescription({ type: 'rollback' });
      }
      await this.pc.setRemoteDescription(description);
      this.isSettingRemoteAnswerPending = false;
      if (description.type === 'offer') {
        if (!this.mediaAttached) {
          this.attachMedia(this.pc.getTransceivers());
        }
        const answer = await this.pc.createAnswer();
        await this.pc.setLocalDescription(answer);
        const local = this.pc.localDescription;
        if (local) {
          this.options.sendSignal({ description: { type: local.type, sdp: local.sdp } });
        }
      }
      // An offer/answer exchange just completed: a screen m-line may have come or gone.
      this.screen.sync();
      this.screenAudio.sync();
      if (description.type === 'answer' || this.pc.signalingState === 'stable') {
        this.emit('negotiated');
      }
      await this.flushCandidates();
    } else if (candidate) {
      if (!this.pc.remoteDescription) {
        this.pendingCandidates.push(candidate);
        return;
      }
      await this.addCandidate(candidate);
    }
  }

  private async flushCandidates(): Promise<void> {
    const queued = this.pendingCandidates;
    this.pendingCandidates = [];
    for (const c of queued) {
      await this.addCandidate(c);
    }
  }

  private async addCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    try {
      await this.pc.addIceCandidate(candidate);
    } catch (err) {
      // Candidates of an offer we ignored are expected to fail.
      if (!this.ignoreOffer) {
        throw err;
      }
    }
  }

  /**
   * Send `track` (or nothing) on the `kind` sender, without renegotiation; a screen
   * share's first track and its end renegotiate (negotiationneeded, perfect negotiation).
   */
  async setTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
    if (kind === 'screen' || kind === 'screen-audio') {
      const slot = kind === 'screen' ? this.screen : this.screenAudio;
      await slot.setTrack(track, this.mediaAttached && !this.closed);
      return;
    }
    this.tracks[kind] = track;
    if (!this.mediaAttached || this.closed) {
      return;
    }
    const transceiver = this.pc
      .getTransceivers()
      .find((t) => t.receiver.track.kind === kind && t.currentDirection !== 'stopped');
    await transceiver?.sender.replaceTrack(track);
  }

  /** Senders for a kind (for bitrate caps and stats). */
  sender(kind: MediaKind): RTCRtpSender | undefined {
    if (kind === 'screen') {
      return this.screen.sender;
    }
    if (kind === 'screen-audio') {
      return this.screenAudio.sender;
    }
    return this.pc
      .getTransceivers()
      .find((t) => t.receiver.track.kind === kind && t.currentDirection !== 'stopped')?.sender;
  }

  /** Restart ICE (new candidates, same call); renegotiates through the usual path. */
  restartIce(): void {
    if (!this.closed) {
      this.emit('ice-restart');
      this.pc.restartIce();
    }
  }

  /** ICE restarts since the media path last worked. */
  get iceRestarts(): number {
    return this.watchdog.restarts;
  }

  /**
   * A channel of its own for one purpose, created in band: the far side learns of it
   * through 'data-channel', with no renegotiation (the SCTP association exists already).
   */
  openChannel(label: string): RTCDataChannel {
    return this.pc.createDataChannel(label, { ordered: true });
  }

  /** getStats() of the whole connection: in a mesh, everything in it is about this peer. */
  getStats(): Promise<RTCStatsReport> {
    return this.pc.getStats();
  }

  /** Level of the incoming audio (0..1, from RTP header extensions), or null without any. */
  audioLevel(): number | null {
    const receiver = this.pc.getReceivers().find((r) => r.track.kind === 'audio');
    return receiver?.getSynchronizationSources()[0]?.audioLevel ?? null;
  }

  /** Send on the shared data channel; false if it is not open. */
  sendData(data: string | ArrayBuffer): boolean {
    const ch = this.dataChannel;
    if (!ch) {
      return false;
    }
    ch.send(data as string);
    return true;
  }

  private fail(err: unknown): void {
    if (!this.closed) {
      this.emit('error', err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Close the connection and drop listeners. Safe to call twice. Local tracks are not ours to stop. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.watchdog.stop();
    this.screen.close();
    this.screenAudio.close();
    this.pc.onicecandidate = null;
    this.pc.onnegotiationneeded = null;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.ondatachannel = null;
    if (this.channel) {
      this.channel.onopen = null;
      this.channel.onmessage = null;
    }
    this.pc.close();
    this.emit('connection-state', 'closed');
    this.removeAllListeners();
  }
}
