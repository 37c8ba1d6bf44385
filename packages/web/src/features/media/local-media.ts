import { classifyMediaError, type MediaProblem } from './media-problem';
import { AUDIO_CONSTRAINTS, VIDEO_CONSTRAINTS } from './constraints';
import { takeEarlyMedia } from '../../app/early-start';

export type LocalKind = 'audio' | 'video';

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
}

export interface LocalMediaSnapshot {
  /** A stream holding the current tracks (a new object whenever they change). */
  readonly stream: MediaStream | null;
  readonly audio: LocalTrackState;
  readonly video: LocalTrackState;
}

/** The part of navigator.mediaDevices we use (injectable for other environments). */
export interface MediaDevicesLike {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
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
  private snapshot: LocalMediaSnapshot = { stream: null, audio: OFF, video: OFF };
  private readonly listeners = new Set<() => void>();
  private closed = false;

  constructor(private readonly devices: MediaDevicesLike | undefined = navigator.mediaDevices) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LocalMediaSnapshot => this.snapshot;

  private update(patch: Partial<Record<LocalKind, LocalTrackState>>): void {
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
      try {
        // One request first: one permission prompt for both in most browsers.
        const stream = await this.request({ audio: true, video: true });
        this.adopt('audio', stream.getAudioTracks()[0] ?? null);
        this.adopt('video', stream.getVideoTracks()[0] ?? null);
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
        await this.acquire('audio');
      }
      return;
    }
    track.enabled = on;
    this.update({ audio: { ...this.snapshot.audio, on } });
  }

  /** Stop every track. The store can be started again. */
  stop(): void {
    this.snapshot.audio.track?.stop();
    this.snapshot.video.track?.stop();
    this.update({ audio: OFF, video: OFF });
  }

  /** Stop for good (the page is going away). */
  close(): void {
    this.stop();
    this.closed = true;
    this.listeners.clear();
  }

  private async acquire(kind: LocalKind): Promise<void> {
    this.update({ [kind]: { ...this.snapshot[kind], pending: true } });
    try {
      const stream = await this.request({ [kind]: true });
      const track = (kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks())[0];
      this.adopt(kind, track ?? null);
    } catch (err) {
      const problem = this.devices ? classifyMediaError(err) : 'insecure';
      this.update({ [kind]: { track: null, on: false, problem, pending: false } });
    }
  }

  private request(kinds: { audio?: boolean; video?: boolean }): Promise<MediaStream> {
    if (!this.devices) {
      return Promise.reject(new Error('no media devices API (insecure context)'));
    }
    // A direct-join link asked for these devices before the app loaded: use that answer.
    const early = takeEarlyMedia({ audio: Boolean(kinds.audio), video: Boolean(kinds.video) });
    if (early) {
      return early;
    }
    return this.devices.getUserMedia({
      audio: kinds.audio ? AUDIO_CONSTRAINTS : false,
      video: kinds.video ? VIDEO_CONSTRAINTS : false,
    });
  }

  private adopt(kind: LocalKind, track: MediaStreamTrack | null): void {
    if (this.closed) {
      track?.stop();
      return;
    }
    if (!track) {
      this.update({ [kind]: { track: null, on: false, problem: 'missing', pending: false } });
      return;
    }
    // Unplugged device or revoked permission: show it as off, with a reason.
    track.addEventListener('ended', () => {
      if (this.snapshot[kind].track === track) {
        this.update({ [kind]: { track: null, on: false, problem: 'missing', pending: false } });
      }
    });
    this.update({ [kind]: { track, on: true, problem: null, pending: false } });
  }
}
