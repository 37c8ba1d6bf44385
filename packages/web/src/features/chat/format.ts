import { getI18n, type I18n } from '../../i18n/i18n';

/** 14:05 today, "Mon 14:05" this week, a date otherwise: short enough for a chat line. */
export function formatTime(ts: number, i18n: I18n = getI18n(), now = Date.now()): string {
  const d = new Date(ts);
  const time = i18n.time(d);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  if (sameDay) {
    return time;
  }
  if (now - ts < 6 * 86_400_000) {
    return `${i18n.date(d, { weekday: 'short' })} ${time}`;
  }
  return `${i18n.date(d, { dateStyle: 'short' })} ${time}`;
}

/** "Ada is typing…", "Ada and Bob are typing…", "3 people are typing…" */
export function typingText(names: readonly string[], { t, list }: I18n = getI18n()): string {
  if (names.length === 0) {
    return '';
  }
  if (names.length === 1) {
    return t('chat.typing.one', { name: names[0] ?? '' });
  }
  if (names.length === 2) {
    return t('chat.typing.two', { names: list(names) });
  }
  return t('chat.typing.many', { count: names.length });
}
