import type {
  CallEndReason,
  CallMedia,
  CallState,
  IceServer,
  MediaState,
  PublicUser,
  ServerMessageMap,
} from '@parley/protocol';
import { Emitter } from '@parley/common';
import type { SignalingClient } from '../signaling-client.js';
import { MeshTopology, type ConnectionState, type SignalPayload } from '../topology/index.js';

/** What the call reports about its media path: `new` until the call is active. */
export type CallConnection = 'new' | ConnectionState;

export type DirectCallEvents = {
  /** The server's call state changed (`reason` is set once `ended`). */
  state: [state: CallState, reason: CallEndReason | undefined];
  /** The media path's state changed. */
  connection: [connection: CallConnection];
  /** The far side's media arrived or changed (a new stream object each time). */
  'remote-stream': [stream: MediaStream];
  /** The far side turned its mic or camera on or off. */
  'remote-media': [media: MediaState];
  /** Our own tracks changed (camera turned on, voice upgraded to video). */
  'local-stream': [stream: MediaStream];
  /** The far side's shared screen arrived (a stream with its one video track) or ended (null). */
  'remote-screen': [stream: MediaStream | null];
  /** The sound the far side shares with its screen (a tab's audio) arrived or ended (null). */
  'remote-screen-audio': [track: MediaStreamTrack | null];
};

export interface DirectCallDeps {
  signaling: SignalingClient;
  /** Acquire local media (getUserMedia by default). */
  getMedia: (constraints: { audio: boolean; video: boolean }) => Promise<MediaStream>;
  RTCPeerConnection?: typeof RTCPeerConnection;
}

/**
 * One direct call as this tab takes part in it. The server decides the state
 * (`ringing → active → ended`); this object follows it, runs the peer connection
 * while active, and owns the local tracks: whatever ends the call stops them and
 * closes the connection, on both sides.
 */
export class DirectCall extends Emitter<DirectCallEvents> {
  private _state: CallState;
  private _reason: CallEndReason | undefined;
  private _connection: CallConnection = 'new';
  /** A mesh of one: the call stays peer to peer. */
  private mesh: MeshTopology | null = null;
  private pending: SignalPayload[] = [];
  private remote = new MediaStream();
  /** Our shared screen, while we share; the caller's track, stopped when the call ends. */
  private screen: MediaStreamTrack | null = null;
  /** The sound captured with it (a tab's audio), when the browser gave any; likewise ours. */
  private screenAudio: MediaStreamTrack | null = null;
  private _remoteScreen: MediaStream | null = null;
  private _remoteScreenAudio: MediaStreamTrack | null = null;
  private _media: CallMedia;
  /** Mic and camera as we send them. */
  private _local: MediaState;
  answeredAt: number | undefined;
  private _remoteMedia: MediaState;

  constructor(
    readonly id: string,
    readonly role: 'caller' | 'callee',
    readonly peer: PublicUser,
    media: CallMedia,
    state: CallState,
    private localStream: MediaStream,
    private readonly deps: DirectCallDeps,
  ) {
    super();
    this._state = state;
    this._media = media;
    this._local = {
      audio: localStream.getAudioTracks().length > 0,
      video: localStream.getVideoTracks().length > 0,
    };
    this._remoteMedia = { audio: true, video: media === 'video' };
  }

  get state(): CallState {
    return this._state;
  }
  get endReason(): CallEndReason | undefined {
    return this._reason;
  }
  get connection(): CallConnection {
    return this._connection;
  }
  get media(): CallMedia {
    return this._media;
  }
  get local(): MediaState {
    return this._local;
  }
  get remoteMedia(): MediaState {
    return this._remoteMedia;
  }
  get localMedia(): MediaStream {
    return this.localStream;
  }
  get remoteStream(): MediaStream {
    return this.remote;
  }
  /** getStats() for the call's media while active (null otherwise). */
  getStats(): Promise<RTCStatsReport | null> {
    return this.mesh?.getStats(this.peer.id) ?? Promise.resolve(null);
  }

  /** Apply a `call-state` from the server. */
  handleState(msg: ServerMessageMap['call-state']): void {
    if (this._state === 'ended') {
      return;
    }
    this._media = msg.media;
    if (msg.state === 'active' && this._state !== 'active') {
      this._state = 'active';
      this.answeredAt = msg.answeredAt;
      this.startLink(msg.iceServers ?? []);
      // Say what we actually send (a blocked camera means sound only), so the far side
      // shows our initial rather than an empty video.
      this.deps.signaling.send({ type: 'call-media', callId: this.id, media: this._local });
      this.emit('state', 'active', undefined);
    } else if (msg.state === 'ended') {
      this.finish(msg.reason ?? 'failed');
    }
  }

  handleSignal(payload: SignalPayload): void {
    if (this.mesh) {
      this.mesh.handleSignal(this.peer.id, payload);
    } else if (this._state !== 'ended') {
      this.pending.push(payload);
    }
  }

  handleRemoteMedia(media: MediaState): void {
    this._remoteMedia = media;
    if (media.video) {
      this._media = 'video';
    }
    this.emit('remote-media', media);
  }

  private startLink(iceServers: IceServer[]): void {
    const video = this.localStream.getVideoTracks()[0] ?? null;
    const audio = this.localStream.getAudioTracks()[0] ?? null;
    const mesh = new MeshTopology({
      // The callee is polite: the caller's offer wins a collision.
      polite: () => this.role === 'callee',
      rtcConfig: { iceServers },
      sendSignal: (_to, p) => {
        this.deps.signaling.send({ type: 'call-signal', callId: this.id, ...p } as never);
      },
      tracks: { audio, video, screen: this.screen, 'screen-audio': this.screenAudio },
      stream: this.localStream,
      ...(this.deps.RTCPeerConnection ? { RTCPeerConnection: this.deps.RTCPeerConnection } : {}),
    });
    this.mesh = mesh;
    mesh.on('track-added', (_id, track, kind) => {
      if (kind === 'screen') {
        this._remoteScreen = new MediaStream([track]);
        this.emit('remote-screen', this._remoteScreen);
        return;
      }
      // The screen's sound is its own audio track beside the voice, not in place of it.
      if (kind === 'screen-audio') {
        this._remoteScreenAudio = track;
        this.emit('remote-screen-audio', track);
        return;
      }
      const tracks = this.remote.getTracks().filter((t) => t.kind !== track.kind);
      this.remote = new MediaStream([...tracks, track]);
      this.emit('remote-stream', this.remote);
    });
    mesh.on('track-removed', (_id, kind) => {
      if (kind === 'screen' && this._remoteScreen) {
        this._remoteScreen = null;
        this.emit('remote-screen', null);
      }
      if (kind === 'screen-audio' && this._remoteScreenAudio) {
        this._remoteScreenAudio = null;
        this.emit('remote-screen-audio', null);
      }
    });
    mesh.on('connection-state', (_id, s) => {
      this._connection = s;
      this.emit('connection', s);
    });
    // The caller offers as soon as it hears `active`, as a room's newcomer would.
    mesh.addParticipant(this.peer.id, this.role === 'caller' ? 'present' : 'joined');
    for (const p of this.pending.splice(0)) {
      mesh.handleSignal(this.peer.id, p);
    }
  }

  /** Mute or unmute the microphone (the track stays, disabled: no new permission prompt). */
  setMuted(muted: boolean): void {
    for (const t of this.localStream.getAudioTracks()) {
      t.enabled = !muted;
    }
    this.announce({ ...this._local, audio: !muted });
  }

  /**
   * Camera on or off. Off stops the camera (its light goes out); on asks for a new
   * track. In a voice call, turning the camera on upgrades the call to video: the
   * video sender exists from the start, so the far side starts receiving at once.
   */
  async setCamera(on: boolean): Promise<void> {
    if (this._state === 'ended') {
      return;
    }
    if (!on) {
      for (const t of this.localStream.getVideoTracks()) {
        t.stop();
        this.localStream.removeTrack(t);
      }
      await this.mesh?.unpublishTrack('video');
    } else if (this.localStream.getVideoTracks().length === 0) {
      const cam = await this.deps.getMedia({ audio: false, video: true });
      const track = cam.getVideoTracks()[0];
      if (!track) {
        return;
      }
      if ((this._state as CallState) === 'ended') {
        // The call ended while the camera was starting.
        track.stop();
        return;
      }
      this.localStream = new MediaStream([...this.localStream.getAudioTracks(), track]);
      await this.mesh?.publishTrack('video', track);
      this._media = 'video';
    }
    this.emit('local-stream', this.localStream);
    this.announce({ ...this._local, video: on });
  }

  /** The far side's shared screen, or null while they share nothing. */
  get remoteScreen(): MediaStream | null {
    return this._remoteScreen;
  }

  /** The sound the far side shares with its screen, or null while there is none. */
  get remoteScreenAudio(): MediaStreamTrack | null {
    return this._remoteScreenAudio;
  }

  /**
   * Share a screen (a getDisplayMedia track) beside the camera, with the sound the
   * browser captured with it (`audio`, a tab's audio) where it gave any; or stop (null).
   * The first share adds a video m-line, and the first sound an audio m-line beside the
   * microphone's (as in a room's mesh); the far side gets `remote-screen` and
   * `remote-screen-audio`. The tracks become the call's: they are stopped when it ends.
   */
  async setScreen(
    track: MediaStreamTrack | null,
    audio: MediaStreamTrack | null = null,
  ): Promise<void> {
    if (this._state === 'ended') {
      track?.stop();
      audio?.stop();
      return;
    }
    if (this.screen && this.screen !== track) {
      this.screen.stop();
    }
    if (this.screenAudio && this.screenAudio !== audio) {
      this.screenAudio.stop();
    }
    this.screen = track;
    // Without a picture there is no share, so no sound either.
    this.screenAudio = track ? audio : null;
    // The picture first: the far side's screen comes before its sound.
    await (track ? this.mesh?.publishTrack('screen', track) : this.mesh?.unpublishTrack('screen'));
    await (this.screenAudio
      ? this.mesh?.publishTrack('screen-audio', this.screenAudio)
      : this.mesh?.unpublishTrack('screen-audio'));
    this.announce({ ...this._local, screen: track !== null });
  }

  /**
   * Send `track` instead of the current track of its kind: another microphone or
   * camera, or the noise-suppressed microphone. The link swaps it with replaceTrack (no
   * new offer); a muted mic stays muted. The old track is the caller's to stop. A
   * camera that is off stays off (turn it on with setCamera).
   */
  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack): Promise<void> {
    if (this._state === 'ended' || (kind === 'video' && !this._local.video)) {
      return;
    }
    if (kind === 'audio') {
      track.enabled = this._local.audio;
    }
    const others = this.localStream.getTracks().filter((t) => t.kind !== kind);
    this.localStream = new MediaStream([...others, track]);
    await this.mesh?.publishTrack(kind, track);
    this.emit('local-stream', this.localStream);
  }

  private announce(media: MediaState): void {
    this._local = media;
    if (this._state === 'active') {
      this.deps.signaling.send({ type: 'call-media', callId: this.id, media });
    }
  }

  /** Hang up, cancel or decline, whichever applies; the server tells both sides. */
  end(): void {
    if (this._state === 'ended') {
      return;
    }
    this.deps.signaling.send({ type: 'call-end', callId: this.id });
    // Do not wait for the answer: the user asked to stop, tracks and link go now.
    this.finish(this._state === 'active' ? 'hangup' : 'cancelled');
  }

  /**
   * The server no longer knows this tab's session: it was away longer than the resume
   * grace, or its node drained or died and the tab is back on another node. An active
   * call asks to take its place again (the media never stopped: it is peer to peer);
   * if the call has ended meanwhile, or it was not active, it ends here too.
   */
  async handleSessionLost(): Promise<void> {
    if (this._state !== 'active') {
      this.finish('failed');
      return;
    }
    try {
      await this.deps.signaling.request({ type: 'call-rejoin', callId: this.id }, 'call-state');
    } catch {
      this.finish('failed');
    }
  }

  /** Stop local tracks and close the connection. Idempotent. */
  private finish(reason: CallEndReason): void {
    if (this._state === 'ended') {
      return;
    }
    this._state = 'ended';
    this._reason = reason;
    for (const t of this.localStream.getTracks()) {
      t.stop();
    }
    this.screen?.stop();
    this.screen = null;
    this.screenAudio?.stop();
    this.screenAudio = null;
    this.mesh?.close();
    this.mesh = null;
    this.pending = [];
    if (this._connection !== 'closed') {
      this._connection = 'closed';
      this.emit('connection', 'closed');
    }
    this.emit('state', 'ended', reason);
  }
}
