import { useEffect, useRef } from 'react';

/**
 * A <video> showing one track. Always muted: sound plays through AudioSink, so that
 * hiding a video (camera off) never silences a person.
 */
export function VideoView({
  track,
  mirror = false,
  className,
}: {
  track: MediaStreamTrack | null | undefined;
  mirror?: boolean;
  className?: string;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) {
      return;
    }
    el.srcObject = track ? new MediaStream([track]) : null;
    if (track) {
      // Muted video may always autoplay; a rejection here only means "not yet".
      el.play().catch(() => undefined);
    }
  }, [track]);
  return (
    <video
      ref={ref}
      className={[className, mirror ? 'is-mirrored' : ''].filter(Boolean).join(' ')}
      autoPlay
      playsInline
      muted
    />
  );
}
