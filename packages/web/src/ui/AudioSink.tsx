import { useEffect, useRef } from 'react';

/**
 * Plays one remote audio track. Browsers may refuse to start sound before the user
 * has interacted with the page (a direct link opened cold): `onBlocked` lets the call
 * show a "turn on sound" button, and bumping `retryKey` tries again after that click.
 */
export function AudioSink({
  track,
  retryKey,
  onBlocked,
  sinkId = '',
  testId,
}: {
  track: MediaStreamTrack | undefined;
  retryKey: number;
  onBlocked: () => void;
  /** The speaker to play on ('' for the system default), where setSinkId exists. */
  sinkId?: string;
  /** Tells this sink apart in tests (a shared screen's sound is `screen-audio`). */
  testId?: string;
}) {
  const ref = useRef<HTMLAudioElement>(null);
  // Let go of the track when unmounted (see VideoView: a detached element holding a
  // track keeps it busy until it is collected).
  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el) {
        el.srcObject = null;
      }
    };
  }, []);
  useEffect(() => {
    const el = ref.current as
      (HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> }) | null;
    if (!el?.setSinkId || el.sinkId === sinkId) {
      return;
    }
    // An unplugged speaker rejects: the browser keeps playing on the current one.
    el.setSinkId(sinkId).catch((err: unknown) => console.warn('parley: speaker not set', err));
  }, [sinkId]);
  useEffect(() => {
    const el = ref.current;
    if (!el) {
      return;
    }
    if (!track) {
      el.srcObject = null;
      return;
    }
    if (!(el.srcObject instanceof MediaStream) || el.srcObject.getTracks()[0] !== track) {
      el.srcObject = new MediaStream([track]);
    }
    el.play().catch((err: unknown) => {
      if ((err as { name?: string }).name === 'NotAllowedError') {
        onBlocked();
      }
    });
  }, [track, retryKey, onBlocked]);
  return <audio ref={ref} autoPlay data-testid={testId} />;
}
