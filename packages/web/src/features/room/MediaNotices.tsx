import { useState } from 'react';
import { Notice } from '../../ui/Notice';
import type { LocalMediaSnapshot } from '../media/local-media';
import { describeMediaProblem } from '../media/media-problem';

/**
 * Says what we could not use and how the user is in the call instead
 * (audio only, video only, or watching and listening only).
 */
export function MediaNotices({ media }: { media: LocalMediaSnapshot }) {
  const [dismissed, setDismissed] = useState<string | null>(null);
  const audio = media.audio.problem;
  const video = media.video.problem;
  if (!audio && !video) {
    return null;
  }
  let text: string;
  if (audio && video) {
    text = `You joined without camera and microphone: you can watch and listen. ${describeMediaProblem('video', video)}`;
  } else if (video) {
    text = `You joined with your microphone only. ${describeMediaProblem('video', video)}`;
  } else {
    text = `You joined with your camera only, so others cannot hear you. ${describeMediaProblem('audio', audio as NonNullable<typeof audio>)}`;
  }
  const key = `${audio}/${video}`;
  if (dismissed === key) {
    return null;
  }
  return (
    <Notice testId="media-notice" onDismiss={() => setDismissed(key)}>
      {text}
    </Notice>
  );
}
