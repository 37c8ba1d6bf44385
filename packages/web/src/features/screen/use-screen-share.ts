import { useCallback, useEffect, useRef, useState } from 'react';
import { canShareScreen, captureScreen, type ScreenCapture } from './screen-capture';
import type { MessageKey } from '../../i18n/i18n';

export interface ScreenShareState {
  /** Our shared screen's video while we share, else null. */
  track: MediaStreamTrack | null;
  /** The sound captured with it (a tab's audio) while we share, if the browser gave any. */
  audio: MediaStreamTrack | null;
  /** The picker is open or the share is being published. */
  pending: boolean;
  /** False on phones and browsers without getDisplayMedia: the button explains. */
  supported: boolean;
  /** What went wrong last (or why sharing is impossible here), for a notice; null if nothing. */
  /** What to tell the user (a catalogue key), or null. */
  message: MessageKey | null;
  dismiss: () => void;
  /** Start sharing (opens the browser's picker) or stop. */
  toggle: () => void;
}

/**
 * Our screen share in a call. `publish` sends the track (or stops, with null) to the
 * others, with the sound the browser captured with it (a tab's audio) where it gave
 * any: `room.setTrack('screen', …)` and `'screen-audio'`, or `call.setScreen(…)`. The
 * browser's own "Stop sharing" bar ends the track, which stops the share as the button
 * does; leaving the call (unmount) stops it too.
 */
export function useScreenShare(
  publish:
    ((track: MediaStreamTrack | null, audio: MediaStreamTrack | null) => Promise<void>) | null,
): ScreenShareState {
  const [track, setTrack] = useState<MediaStreamTrack | null>(null);
  const [audio, setAudio] = useState<MediaStreamTrack | null>(null);
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<MessageKey | null>(null);
  const capture = useRef<ScreenCapture | null>(null);
  const publishRef = useRef(publish);
  publishRef.current = publish;

  const stop = useCallback((): void => {
    const current = capture.current;
    if (!current) {
      return;
    }
    capture.current = null;
    current.video.onended = null;
    current.video.stop();
    current.audio?.stop();
    setTrack(null);
    setAudio(null);
    publishRef.current?.(null, null).catch((err: unknown) => console.warn('parley: unshare', err));
  }, []);

  const start = useCallback(async (): Promise<void> => {
    setMessage(null);
    setPending(true);
    try {
      const got = await captureScreen();
      if (!got) {
        return; // the user closed the picker
      }
      capture.current = got;
      got.video.onended = stop;
      setTrack(got.video);
      setAudio(got.audio);
      await publishRef.current?.(got.video, got.audio);
    } catch (err) {
      stop();
      // The browser's own words are for the log; the user reads ours.
      console.warn('parley: screen share failed', err);
      setMessage('screen.failed');
    } finally {
      setPending(false);
    }
  }, [stop]);

  useEffect(() => stop, [stop]);

  const toggle = useCallback((): void => {
    if (!canShareScreen()) {
      setMessage('screen.unsupported');
    } else if (capture.current) {
      stop();
    } else if (!pending) {
      void start();
    }
  }, [pending, start, stop]);

  return {
    track,
    audio,
    pending,
    supported: canShareScreen(),
    message,
    dismiss: useCallback(() => setMessage(null), []),
    toggle,
  };
}
