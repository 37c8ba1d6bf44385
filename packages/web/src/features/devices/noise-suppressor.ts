import { RnnoiseWorkletNode, loadRnnoise } from '@sapphi-red/web-noise-suppressor';
// Served by Parley from the Vite build (hashed assets): nothing comes from a CDN.
import workletUrl from '@sapphi-red/web-noise-suppressor/rnnoiseWorklet.js?url';
import wasmUrl from '@sapphi-red/web-noise-suppressor/rnnoise.wasm?url';
import simdWasmUrl from '@sapphi-red/web-noise-suppressor/rnnoise_simd.wasm?url';

/** RNNoise is trained on 48 kHz audio in 10 ms frames; other rates would be resampled badly. */
const SAMPLE_RATE = 48_000;

let wasm: Promise<ArrayBuffer> | null = null;

/** The RNNoise binary, fetched once per page (SIMD build where the browser has SIMD). */
function rnnoiseBinary(): Promise<ArrayBuffer> {
  wasm ??= loadRnnoise({ url: wasmUrl, simdUrl: simdWasmUrl }).catch((err: unknown) => {
    wasm = null;
    throw err;
  });
  return wasm;
}

/**
 * Microphone → RNNoise (AudioWorklet) → a new track to send. The raw microphone track
 * stays the caller's: muting disables both, and closing this leaves the raw track alone.
 */
export class NoiseSuppressor {
  private constructor(
    private readonly context: AudioContext,
    private readonly source: MediaStreamAudioSourceNode,
    /** The AudioWorkletNode running RNNoise (tests look for it through `window`). */
    readonly node: RnnoiseWorkletNode,
    /** The suppressed audio, to publish instead of the raw track. */
    readonly track: MediaStreamTrack,
  ) {}

  /**
   * Build the graph for `raw`. Resolves once the AudioContext runs: a context made
   * before any click can start suspended and would send silence, so it waits for the
   * first pointer or key press in that case (the caller keeps sending the raw track).
   */
  static async create(raw: MediaStreamTrack): Promise<NoiseSuppressor> {
    const context = new AudioContext({ sampleRate: SAMPLE_RATE, latencyHint: 'interactive' });
    try {
      const [binary] = await Promise.all([
        rnnoiseBinary(),
        context.audioWorklet.addModule(workletUrl),
      ]);
      const source = context.createMediaStreamSource(new MediaStream([raw]));
      const node = new RnnoiseWorkletNode(context, { maxChannels: 1, wasmBinary: binary });
      const destination = context.createMediaStreamDestination();
      source.connect(node).connect(destination);
      const track = destination.stream.getAudioTracks()[0];
      if (!track) {
        throw new Error('no track from the MediaStreamDestination');
      }
      track.enabled = raw.enabled;
      await running(context);
      const suppressor = new NoiseSuppressor(context, source, node, track);
      suppressors.add(suppressor);
      return suppressor;
    } catch (err) {
      void context.close().catch(() => undefined);
      throw err;
    }
  }

  /** Stop the processed track and free the worklet and its WebAssembly memory. */
  close(): void {
    if (!suppressors.delete(this)) {
      return;
    }
    this.track.stop();
    this.source.disconnect();
    this.node.disconnect();
    this.node.destroy();
    void this.context.close().catch(() => undefined);
  }
}

/** Live suppressors, readable by the browser tests as `window.__parleyNoiseSuppressors`. */
const suppressors = new Set<NoiseSuppressor>();
if (typeof window !== 'undefined') {
  (
    window as unknown as { __parleyNoiseSuppressors: Set<NoiseSuppressor> }
  ).__parleyNoiseSuppressors = suppressors;
}

function running(context: AudioContext): Promise<void> {
  if (context.state === 'running') {
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const resume = (): void => {
      void context.resume().catch(() => undefined);
    };
    const done = (): void => {
      document.removeEventListener('pointerdown', resume);
      document.removeEventListener('keydown', resume);
      context.removeEventListener('statechange', check);
    };
    const check = (): void => {
      if (context.state === 'running') {
        done();
        resolve();
      } else if (context.state === 'closed') {
        done();
        reject(new Error('the audio context closed before it ran'));
      }
    };
    context.addEventListener('statechange', check);
    document.addEventListener('pointerdown', resume);
    document.addEventListener('keydown', resume);
    resume();
  });
}
