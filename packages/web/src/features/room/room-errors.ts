import { ParleyError } from '@parley/client';
import { getI18n, type I18n } from '../../i18n/i18n';

/** What the user is told when a call cannot start or cannot go on. */
export interface CallProblem {
  title: string;
  text: string;
  /** Whether trying the same room again can help. */
  retry: boolean;
  code: string;
}

/** The codes that have a page of their own, and whether trying again can help. */
const PAGES = {
  room_full: true,
  room_locked: true,
  lobby_denied: true,
  lobby_full: true,
  removed: false,
  room_ended: false,
  unreachable: true,
  busy: true,
  too_many_connections: true,
  connect_rate_limited: true,
  version_mismatch: false,
  bad_message: false,
} as const;

/** Codes that mean the same thing to the user share a page. */
const SAME_PAGE: Record<string, keyof typeof PAGES> = {
  connection_closed: 'unreachable',
  timeout: 'unreachable',
  closed: 'unreachable',
  overloaded: 'busy',
  rate_limited: 'busy',
};

/** Turn an SDK error into plain words with a way forward, in the active language. */
export function describeCallError(error: Error, i18n: I18n = getI18n()): CallProblem {
  const { t } = i18n;
  const raw = error instanceof ParleyError ? error.code : 'unknown';
  const page = SAME_PAGE[raw] ?? (raw in PAGES ? (raw as keyof typeof PAGES) : null);
  if (page === null) {
    // A code without a page of its own still shows, so a report can name it.
    return {
      code: raw,
      title: t('roomError.default.title'),
      text: t('error.unknown', { code: raw }),
      retry: true,
    };
  }
  const code = page === 'unreachable' ? page : raw;
  return {
    code,
    title: t(`roomError.${page}.title`),
    text: t(`roomError.${page}.text`),
    retry: PAGES[page],
  };
}
