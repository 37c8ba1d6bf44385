import { useState } from 'react';
import { Notice } from '../../ui/Notice';
import type { LocalMediaSnapshot } from '../media/local-media';
import { describeMediaProblem } from '../media/media-problem';
import { useT } from '../../i18n/i18n';

/**
 * Says what we could not use and how the user is in the call instead
 * (audio only, video only, or watching and listening only).
 */
export function MediaNotices({ media }: { media: LocalMediaSnapshot }) {
  const { t } = useT();
  const [dismissed, setDismissed] = useState<string | null>(null);
  const audio = media.audio.problem;
  const video = media.video.problem;
  if (!audio && !video) {
    return null;
  }
  let text: string;
  if (audio && video) {
    text = t('media.joined.watchOnly', { problem: describeMediaProblem('video', video) });
  } else if (video) {
    text = t('media.joined.micOnly', { problem: describeMediaProblem('video', video) });
  } else {
    text = t('media.joined.cameraOnly', {
      problem: describeMediaProblem('audio', audio as NonNullable<typeof audio>),
    });
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
