import { useEffect, useRef, useState } from 'react';

/**
 * A 0..1 loudness of a live audio track, sampled about ten times a second, so people
 * can see their microphone works before joining. 0 while there is no track.
 *
 * `shape` maps each sample before it is kept: a caller that only needs "speaking or
 * not" passes a threshold, so its component re-renders when that flips rather than
 * ten times a second (React skips a state update to the same value).
 */
export function useAudioLevel(
  track: MediaStreamTrack | null,
  enabled: boolean,
  shape: (level: number) => number = (level) => level,
): number {
  const shapeRef = useRef(shape);
  shapeRef.current = shape;
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!track || !enabled || typeof AudioContext === 'undefined') {
      setLevel(0);
      return;
    }
    const context = new AudioContext();
    // A page opened without a click may start its AudioContext suspended: resume it
    // now if allowed, else at the first click or key press.
    const resume = (): void => {
      if (context.state === 'suspended') {
        void context.resume().catch(() => undefined);
      }
    };
    resume();
    document.addEventListener('pointerdown', resume);
    document.addEventListener('keydown', resume);
    const source = context.createMediaStreamSource(new MediaStream([track]));
    const analyser = context.createAnalyser();
    analyser.fftSize = 2048;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let shown = 0;
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) {
        sum += s * s;
      }
      // Loudness in decibels, -60 dB (silence) to -10 dB (shouting) mapped to 0..1:
      // ears are logarithmic, so a linear meter would hardly move for normal speech.
      const rms = Math.sqrt(sum / samples.length);
      const db = rms > 0 ? 20 * Math.log10(rms) : -100;
      const now = Math.max(0, Math.min(1, (db + 60) / 50));
      // Rise at once, fall slowly (like any level meter), so short sounds are seen.
      shown = Math.max(now, shown * 0.8);
      setLevel(shapeRef.current(shown < 0.02 ? 0 : shown));
    }, 100);
    return () => {
      clearInterval(timer);
      document.removeEventListener('pointerdown', resume);
      document.removeEventListener('keydown', resume);
      source.disconnect();
      void context.close();
    };
  }, [track, enabled]);
  return level;
}
