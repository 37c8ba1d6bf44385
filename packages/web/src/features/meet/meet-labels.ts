import type { MeetEndReason, ReportReason } from '@parley/protocol';
import { t, type MessageKey } from '../../i18n/i18n';

/** What the waiting page says about how the last match ended, or null to say nothing. */
export function endedLabel(reason: MeetEndReason | null): string | null {
  switch (reason) {
    case 'moved_on':
      return t('meet.ended.movedOn');
    case 'left':
      return t('meet.ended.left');
    case 'disconnected':
      return t('meet.ended.disconnected');
    case 'no_show':
      return t('meet.ended.noShow');
    default:
      return null;
  }
}

/** "3 people waiting" (you included). */
export function waitingLabel(waiting: number): string {
  return waiting === 1 ? t('meet.waiting.alone') : t('meet.waiting', { count: waiting });
}

/** "about 10 s", "about 2 min", or null when the server has nothing to go by. */
export function estimateLabel(ms: number | null): string | null {
  if (ms === null) {
    return null;
  }
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) {
    return t('meet.estimate.seconds', { n: s < 10 ? s : Math.round(s / 5) * 5 });
  }
  return t('meet.estimate.minutes', { n: Math.round(s / 60) });
}

/** Interest tags from what the user typed: commas or spaces between, # optional. */
export function parseInterests(text: string, max: number): string[] {
  const tags = text
    .split(/[,\s]+/)
    .map((t) => t.replace(/^#/, '').trim().toLowerCase())
    .filter((t) => t.length > 0);
  return [...new Set(tags)].slice(0, max);
}

export const REPORT_REASONS: ReadonlyArray<{ value: ReportReason; label: MessageKey }> = [
  { value: 'nudity', label: 'meet.report.nudity' },
  { value: 'harassment', label: 'meet.report.harassment' },
  { value: 'hate', label: 'meet.report.hate' },
  { value: 'spam', label: 'meet.report.spam' },
  { value: 'underage', label: 'meet.report.underage' },
  { value: 'violence', label: 'meet.report.violence' },
  { value: 'other', label: 'meet.report.other' },
];
