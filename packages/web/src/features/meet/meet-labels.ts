import type { MeetEndReason, ReportReason } from '@parley/protocol';

/** What the waiting page says about how the last match ended, or null to say nothing. */
export function endedLabel(reason: MeetEndReason | null): string | null {
  switch (reason) {
    case 'moved_on':
      return 'They moved on.';
    case 'left':
      return 'They left.';
    case 'disconnected':
      return 'Their connection was lost.';
    case 'no_show':
      return 'They did not join in time.';
    default:
      return null;
  }
}

/** "3 people waiting" (you included). */
export function waitingLabel(waiting: number): string {
  return waiting === 1 ? 'Only you are waiting' : `${waiting} people waiting`;
}

/** "about 10 s", "about 2 min", or null when the server has nothing to go by. */
export function estimateLabel(ms: number | null): string | null {
  if (ms === null) {
    return null;
  }
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) {
    return `about ${s < 10 ? s : Math.round(s / 5) * 5} s`;
  }
  return `about ${Math.round(s / 60)} min`;
}

/** Interest tags from what the user typed: commas or spaces between, # optional. */
export function parseInterests(text: string, max: number): string[] {
  const tags = text
    .split(/[,\s]+/)
    .map((t) => t.replace(/^#/, '').trim().toLowerCase())
    .filter((t) => t.length > 0);
  return [...new Set(tags)].slice(0, max);
}

export const REPORT_REASONS: ReadonlyArray<{ value: ReportReason; label: string }> = [
  { value: 'nudity', label: 'Nudity or sexual content' },
  { value: 'harassment', label: 'Harassment or bullying' },
  { value: 'hate', label: 'Hate speech' },
  { value: 'spam', label: 'Spam or advertising' },
  { value: 'underage', label: 'Seems to be a child' },
  { value: 'violence', label: 'Violence or threats' },
  { value: 'other', label: 'Something else' },
];
