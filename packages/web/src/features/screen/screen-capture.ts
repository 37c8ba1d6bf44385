/** Whether this browser can share a screen (phones have no getDisplayMedia). */
export function canShareScreen(): boolean {
  return (
    typeof navigator !== 'undefined' &&
    typeof navigator.mediaDevices?.getDisplayMedia === 'function'
  );
}

/** The share as captured: its video, and the tab's or system's audio when offered. */
export interface ScreenCapture {
  video: MediaStreamTrack;
  /** Sent beside the video in rooms (docs/UI.md, "Screen sharing"); stopped with it. */
  audio: MediaStreamTrack | null;
}

/**
 * Ask the browser for a screen, window or tab. Null when the user closes the picker
 * without choosing: that is a choice, not an error. Anything else throws an Error with
 * the words to show.
 */
export async function captureScreen(): Promise<ScreenCapture | null> {
  if (!canShareScreen()) {
    throw new Error('getDisplayMedia is not available in this browser');
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getDisplayMedia({
      // Text over motion: full resolution, a few frames a second (uplink-plan.ts caps it).
      video: { frameRate: { ideal: 15, max: 15 } },
      audio: true,
    });
  } catch (err) {
    const name = (err as { name?: string }).name;
    // Chromium says NotAllowedError for a cancelled picker, Firefox AbortError.
    if (name === 'NotAllowedError' || name === 'AbortError') {
      return null;
    }
    throw new Error(
      `Could not share the screen: ${(err as Error).message || name || 'unknown error'}`,
      { cause: err },
    );
  }
  const video = stream.getVideoTracks()[0];
  if (!video) {
    for (const t of stream.getTracks()) {
      t.stop();
    }
    throw new Error('Could not share the screen: the browser gave no picture.');
  }
  video.contentHint = 'detail';
  return { video, audio: stream.getAudioTracks()[0] ?? null };
}
