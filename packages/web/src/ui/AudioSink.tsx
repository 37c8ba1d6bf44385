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
}: {
  track: MediaStreamTrack | undefined;
  retryKey: number;
  onBlocked: () => void;
}) {
  const ref = useRef<HTMLAudioElement>(null);
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
  return <audio ref={ref} autoPlay />;
}
