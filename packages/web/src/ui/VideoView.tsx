import { useEffect, useRef } from 'react';

/**
 * A <video> showing one track. Always muted: sound plays through AudioSink, so that
 * hiding a video (camera off) never silences a person.
 *
 * It lets go of the track when it unmounts or shows another. In Chromium a <video>
 * taken out of the page but still holding a camera track stalls that camera for every
 * sink until it is collected: the camera's `deliveredFrames` stood still for about 2 s,
 * and the peers got no frames either, each time the layout changed (a share that
 * stopped moved the sharer's own tile from the strip back to the grid).
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
    return () => {
      el.srcObject = null;
    };
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
