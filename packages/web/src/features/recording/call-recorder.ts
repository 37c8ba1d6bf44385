import { AudioMixer } from './audio-mixer';
import { startFrameClock } from './frame-clock';
import { pickRecordingType } from './recording-format';
import { RECORDING_FPS, TileComposer } from './tile-composer';
import { t } from '../../i18n/i18n';

/** Bits per second of the recording's video: sharp 720p at 24 fps without huge files. */
const VIDEO_BPS = 2_500_000;
const AUDIO_BPS = 128_000;
/** How often MediaRecorder hands over data: the size shown grows at this pace. */
const CHUNK_MS = 1000;

/**
 * One recording of the call in this browser: the composed tiles (TileComposer) and the
 * mixed audio (AudioMixer) through a MediaRecorder into WebM. Nothing leaves the
 * browser: `stop()` resolves to the file.
 */
export class CallRecorder {
  private readonly composer: TileComposer;
  private readonly mixer = new AudioMixer();
  private readonly recorder: MediaRecorder;
  private readonly clock: { stop: () => void };
  private readonly chunks: Blob[] = [];
  private readonly stopped: Promise<Blob>;
  private _bytes = 0;
  readonly type: string;

  /** Throws a RecordingUnsupported when this browser cannot record WebM. */
  constructor(
    grid: () => HTMLElement | null,
    audio: readonly MediaStreamTrack[],
    private readonly onData: (bytes: number) => void,
  ) {
    const type =
      typeof MediaRecorder === 'undefined'
        ? null
        : pickRecordingType((t) => MediaRecorder.isTypeSupported(t));
    if (type === null) {
      this.mixer.close();
      throw new RecordingUnsupported();
    }
    this.type = type;
    this.composer = new TileComposer(grid);
    this.composer.draw();
    this.mixer.setTracks(audio);
    // Chromium takes the canvas's frames when the page renders (at most RECORDING_FPS);
    // pushing frames ourselves (requestFrame, MediaStreamTrackGenerator) gave a recorder
    // that wrote nothing on a starved machine, so this is the path that was verified.
    const video = this.composer.canvas.captureStream(RECORDING_FPS).getVideoTracks()[0];
    const stream = new MediaStream([video as MediaStreamTrack, this.mixer.track]);
    this.recorder = new MediaRecorder(stream, {
      mimeType: type,
      videoBitsPerSecond: VIDEO_BPS,
      audioBitsPerSecond: AUDIO_BPS,
    });
    this.recorder.ondataavailable = (e) => {
      if (e.data.size > 0) {
        this.chunks.push(e.data);
        this._bytes += e.data.size;
        this.onData(this._bytes);
      }
    };
    this.stopped = new Promise((resolve) => {
      this.recorder.onstop = () => {
        for (const t of stream.getTracks()) {
          t.stop();
        }
        this.mixer.close();
        resolve(new Blob(this.chunks, { type: 'video/webm' }));
      };
    });
    this.clock = startFrameClock(1000 / RECORDING_FPS, () => this.composer.draw());
    this.recorder.start(CHUNK_MS);
  }

  get bytes(): number {
    return this._bytes;
  }

  /** Follow the call's audio: newcomers are mixed in, those who left are dropped. */
  setAudioTracks(tracks: readonly MediaStreamTrack[]): void {
    this.mixer.setTracks(tracks);
  }

  /** Ends the recording (once; later calls get the same file). */
  stop(): Promise<Blob> {
    this.clock.stop();
    if (this.recorder.state !== 'inactive') {
      this.recorder.stop();
    }
    return this.stopped;
  }
}

export class RecordingUnsupported extends Error {
  constructor() {
    super(t('recording.unsupported'));
  }
}

/** Hand a finished recording to the user as a download. */
export function downloadRecording(file: Blob, name: string): void {
  const url = URL.createObjectURL(file);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken its copy once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
