import { classifyMediaError, type MediaProblem } from './media-problem';
import { AUDIO_CONSTRAINTS, VIDEO_CONSTRAINTS } from './constraints';
import { takeEarlyMedia } from '../../app/early-start';
import type { NoiseSuppressor } from '../devices/noise-suppressor';
import { tracksOf, type GrantedMedia, type LocalKind } from './granted-media';

export type { LocalKind };

/** One device as the UI sees it. */
export interface LocalTrackState {
  /** The live track, or null when the device is off or unavailable. */
  readonly track: MediaStreamTrack | null;
  /** Whether we send it: for the mic, a muted track is kept but disabled. */
  readonly on: boolean;
  /** Why the device could not be used the last time we asked for it. */
  readonly problem: MediaProblem | null;
  /** A getUserMedia call for this kind is in flight. */
  readonly pending: boolean;
  /** The device the track comes from (for the mic: the raw microphone), when known. */
  readonly deviceId?: string | null;
}

/**
 * Our own noise suppression (RNNoise, devices/noise-suppressor.ts): `on` is the user's
 * wish; `state` says what runs. While it starts or if it failed, the raw mic is sent.
 */
export interface NoiseSuppressionState {
  readonly on: boolean;
  readonly state: 'off' | 'starting' | 'running' | 'failed';
}

export interface LocalMediaSnapshot {
  /** A stream holding the current tracks (a new object whenever they change). */
  readonly stream: MediaStream | null;
  /** For the mic, `track` is what we send: the suppressed track while suppression runs. */
  readonly audio: LocalTrackState;
  readonly video: LocalTrackState;
  readonly noiseSuppression: NoiseSuppressionState;
}

/** The part of navigator.mediaDevices we use (injectable for other environments). */
export interface MediaDevicesLike {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
}

/** Where to start: the devices to ask for and whether to suppress noise. */
export interface LocalMediaOptions {
  deviceIds?: Partial<Record<LocalKind, string>>;
  noiseSuppression?: boolean;
  /**
   * Devices already granted for `want` (a direct link's early stream): the store starts
   * with their tracks, as if start(want) had answered, so the first render has them.
   */
  granted?: GrantedMedia;
}

const OFF: LocalTrackState = { track: null, on: false, problem: null, pending: false };

/**
 * The camera and microphone of this tab: a small store with subscribe/getSnapshot
 * (for React's useSyncExternalStore) and no React in it.
 *
 * Camera off stops the track, so the camera light goes out; camera on asks for a new
 * one. Mic off only disables the track (instant, no new permission prompt).
 * When asking for both fails, each is tried alone so that whatever works is used.
 */
export class LocalMedia {
  private snapshot: LocalMediaSnapshot;
  private readonly listeners = new Set<() => void>();
  private closed = false;
  /** The microphone itself; `snapshot.audio.track` is this or the suppressed track. */
  private rawAudio: MediaStreamTrack | null = null;
  private suppressor: NoiseSuppressor | null = null;
  /** Bumped whenever the suppressor must be rebuilt, so a slow old build is dropped. */
  private suppressorGeneration = 0;
  /** The generation being built right now, if any. */
  private building: number | null = null;
  private readonly deviceIds: Partial<Record<LocalKind, string>>;
  /** The mic was muted when its device went away: the fallback device starts muted too. */
  private mutedAtLoss = false;

  constructor(
    private readonly devices: MediaDevicesLike | undefined = navigator.mediaDevices,
    options: LocalMediaOptions = {},
  ) {
    this.deviceIds = { ...options.deviceIds };
    const on = options.noiseSuppression ?? false;
    this.snapshot = {
      stream: null,
      audio: OFF,
      video: OFF,
      noiseSuppression: { on, state: 'off' },
    };
    const granted = options.granted;
    const grantedTracks = granted && tracksOf(granted.stream);
    for (const kind of ['audio', 'video'] as const) {
      if (granted?.want[kind]) {
        // Noise suppression waits for activate(): React may discard the render that
        // made this store, and a discarded store must not leave a suppressor running.
        this.adopt(kind, grantedTracks?.[kind] ?? null, false);
      }
    }
  }

  /**
   * The owning component is mounted: a store that began with granted devices starts
   * its noise suppression now (start() and the others do it as they adopt a mic).
   */
  activate(): void {
    if (this.rawAudio && !this.suppressor && this.building === null) {
      this.applySuppression();
    }
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LocalMediaSnapshot => this.snapshot;

  private update(
    patch: Partial<Record<LocalKind, LocalTrackState>> & {
      noiseSuppression?: NoiseSuppressionState;
    },
  ): void {
    const next = { ...this.snapshot, ...patch };
    const tracks = [next.audio.track, next.video.track].filter(
      (t): t is MediaStreamTrack => t !== null,
    );
    const changedTracks =
      next.audio.track !== this.snapshot.audio.track ||
      next.video.track !== this.snapshot.video.track;
    this.snapshot = {
      ...next,
      stream: changedTracks
        ? tracks.length > 0
          ? new MediaStream(tracks)
          : null
        : this.snapshot.stream,
    };
    for (const listener of [...this.listeners]) {
      listener();
    }
  }

  /** Ask for the devices the user wants, falling back to each one alone. */
  async start(want: { audio: boolean; video: boolean }): Promise<void> {
    const kinds = (['audio', 'video'] as const).filter((k) => want[k]);
    if (kinds.length === 0) {
      return;
    }
    if (kinds.length === 2 && !this.snapshot.audio.track && !this.snapshot.video.track) {
      this.update({
        audio: { ...this.snapshot.audio, pending: true },
        video: { ...this.snapshot.video, pending: true },
      });
      const asked = { ...this.deviceIds };
      try {
        // One request first: one permission prompt for both in most browsers.
        const stream = await this.request({ audio: true, video: true });
        this.adopt('audio', stream.getAudioTracks()[0] ?? null);
        this.adopt('video', stream.getVideoTracks()[0] ?? null);
        await this.usePickedMeanwhile('audio', asked.audio);
        await this.usePickedMeanwhile('video', asked.video);
        return;
      } catch {
        // Find out which one failed (and use the other).
      }
    }
    for (const kind of kinds) {
      await this.acquire(kind);
    }
  }

  /** Turn the camera on (new track) or off (track stopped, light off). */
  async setVideo(on: boolean): Promise<void> {
    if (on) {
      if (!this.snapshot.video.track) {
        await this.acquire('video');
      }
      return;
    }
    this.snapshot.video.track?.stop();
    this.update({ video: OFF });
  }

  /** Unmute (asking for the mic if we have none yet) or mute the microphone. */
  async setAudio(on: boolean): Promise<void> {
    const { track } = this.snapshot.audio;
    if (!track) {
      if (on) {
        this.mutedAtLoss = false;
        await this.acquire('audio');
      }
      return;
    }
    track.enabled = on;
    // The raw mic too: a muted mic feeds silence into the suppressor, not speech.
    if (this.rawAudio) {
      this.rawAudio.enabled = on;
    }
    this.update({ audio: { ...this.snapshot.audio, on } });
  }

  /**
   * Use another camera or microphone. The new track replaces the old one in the
   * snapshot (the room swaps it with replaceTrack: no renegotiation); a muted mic stays
   * muted. With the camera off, the choice is kept for when it is turned on. Resolves
   * false, keeping the current device, when the new one cannot be opened.
   */
  async setDevice(kind: LocalKind, deviceId: string): Promise<boolean> {
    this.deviceIds[kind] = deviceId;
    const current = this.snapshot[kind];
    if (!current.track) {
      return true;
    }
    if (current.deviceId === deviceId) {
      return true;
    }
    let stream: MediaStream;
    try {
      stream = await this.request({ [kind]: true }, true);
    } catch {
      return false;
    }
    const track = (kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks())[0];
    if (!track || this.closed) {
      track?.stop();
      return false;
    }
    const wasOn = this.snapshot[kind].on;
    if (kind === 'audio') {
      this.rawAudio?.stop();
      this.rawAudio = null;
    } else {
      this.snapshot.video.track?.stop();
    }
    this.adopt(kind, track);
    if (kind === 'audio' && !wasOn) {
      await this.setAudio(false);
    }
    return true;
  }

  /** Turn our own noise suppression on or off; the sent track changes, nothing else. */
  setNoiseSuppression(on: boolean): void {
    this.update({ noiseSuppression: { on, state: this.snapshot.noiseSuppression.state } });
    this.applySuppression();
  }

  /** Stop every track. The store can be started again. */
  stop(): void {
    this.dropSuppressor();
    this.rawAudio?.stop();
    this.rawAudio = null;
    this.snapshot.audio.track?.stop();
    this.snapshot.video.track?.stop();
    this.update({
      audio: OFF,
      video: OFF,
      noiseSuppression: { on: this.snapshot.noiseSuppression.on, state: 'off' },
    });
  }

  /** Stop for good (the page is going away). */
  close(): void {
    this.stop();
    this.closed = true;
    this.listeners.clear();
  }

  /**
   * A device picked while the first one was starting (setDevice had no track to swap
   * yet, `asked` is what the request asked for) is what the user wants now: switch to
   * it rather than drop the choice.
   */
  private async usePickedMeanwhile(kind: LocalKind, asked: string | undefined): Promise<void> {
    const picked = this.deviceIds[kind];
    const state = this.snapshot[kind];
    if (state.track && picked && picked !== asked && picked !== state.deviceId) {
      await this.setDevice(kind, picked);
    }
  }

  private async acquire(kind: LocalKind): Promise<void> {
    this.update({ [kind]: { ...this.snapshot[kind], pending: true } });
    const asked = this.deviceIds[kind];
    try {
      const stream = await this.request({ [kind]: true });
      const track = (kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks())[0];
      this.adopt(kind, track ?? null);
      await this.usePickedMeanwhile(kind, asked);
    } catch (err) {
      const problem = this.devices ? classifyMediaError(err) : 'insecure';
      this.update({ [kind]: { track: null, on: false, problem, pending: false } });
    }
  }

  /**
   * getUserMedia for `kinds`, on the chosen devices: `exact` when the user just picked
   * one (fail rather than silently open another), `ideal` for a remembered one (it may
   * be unplugged; any device beats none).
   */
  private request(
    kinds: { audio?: boolean; video?: boolean },
    exact = false,
  ): Promise<MediaStream> {
    if (!this.devices) {
      return Promise.reject(new Error('no media devices API (insecure context)'));
    }
    // A direct-join link asked for these devices before the app loaded: use that answer.
    const early = exact
      ? null
      : takeEarlyMedia({ audio: Boolean(kinds.audio), video: Boolean(kinds.video) });
    if (early) {
      return early;
    }
    const on = (kind: LocalKind, base: MediaTrackConstraints): MediaTrackConstraints => {
      const id = this.deviceIds[kind];
      return id ? { ...base, deviceId: exact ? { exact: id } : { ideal: id } } : base;
    };
    return this.devices.getUserMedia({
      audio: kinds.audio ? on('audio', AUDIO_CONSTRAINTS) : false,
      video: kinds.video ? on('video', VIDEO_CONSTRAINTS) : false,
    });
  }

  /** Send the raw mic or the suppressed one, as the user wants and as far as it works. */
  private applySuppression(): void {
    const raw = this.rawAudio;
    const wanted = this.snapshot.noiseSuppression.on;
    if (this.suppressor && (!wanted || !raw)) {
      this.dropSuppressor();
      if (raw) {
        this.update({ audio: { ...this.snapshot.audio, track: raw } });
      }
    }
    if (!wanted || !raw) {
      this.update({ noiseSuppression: { on: wanted, state: 'off' } });
      return;
    }
    if (this.suppressor || this.building !== null) {
      return;
    }
    const generation = ++this.suppressorGeneration;
    this.building = generation;
    this.update({ noiseSuppression: { on: true, state: 'starting' } });
    // Loaded on first use: the package defines an AudioWorkletNode subclass when imported,
    // which would break the whole app in a browser without AudioWorklet.
    import('../devices/noise-suppressor')
      .then(({ NoiseSuppressor }) => NoiseSuppressor.create(raw))
      .then(
        (suppressor) => {
          if (this.building === generation) {
            this.building = null;
          }
          if (generation !== this.suppressorGeneration || this.closed || this.rawAudio !== raw) {
            suppressor.close();
            return;
          }
          this.suppressor = suppressor;
          suppressor.track.enabled = raw.enabled;
          this.update({
            audio: { ...this.snapshot.audio, track: suppressor.track },
            noiseSuppression: { on: true, state: 'running' },
          });
        },
        (err: unknown) => {
          if (this.building === generation) {
            this.building = null;
          }
          if (generation !== this.suppressorGeneration) {
            return;
          }
          console.warn('parley: noise suppression could not start', err);
          this.update({ noiseSuppression: { on: true, state: 'failed' } });
        },
      );
  }

  private dropSuppressor(): void {
    this.suppressorGeneration++;
    this.building = null;
    this.suppressor?.close();
    this.suppressor = null;
  }

  private adopt(kind: LocalKind, track: MediaStreamTrack | null, suppress = true): void {
    if (this.closed) {
      track?.stop();
      return;
    }
    if (!track) {
      this.update({ [kind]: { track: null, on: false, problem: 'missing', pending: false } });
      return;
    }
    const deviceId = track.getSettings?.().deviceId ?? null;
    // Unplugged device or revoked permission: show it as off, with a reason (the
    // devices feature then offers or picks another one).
    track.addEventListener('ended', () => {
      const current = kind === 'audio' ? this.rawAudio : this.snapshot.video.track;
      if (current === track) {
        if (kind === 'audio') {
          this.mutedAtLoss = !this.snapshot.audio.on;
          this.rawAudio = null;
          this.dropSuppressor();
          this.snapshot.audio.track?.stop();
        }
        this.update({
          [kind]: { track: null, on: false, problem: 'missing', pending: false, deviceId },
        });
      }
    });
    if (kind === 'audio') {
      this.dropSuppressor();
      this.rawAudio = track;
      const on = !this.mutedAtLoss;
      this.mutedAtLoss = false;
      track.enabled = on;
      this.update({ audio: { track, on, problem: null, pending: false, deviceId } });
      if (suppress) {
        this.applySuppression();
      }
      return;
    }
    this.update({ [kind]: { track, on: true, problem: null, pending: false, deviceId } });
  }
}
