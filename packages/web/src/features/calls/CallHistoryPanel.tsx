import { useEffect, useState } from 'react';
import type { AccountsApi } from '@parley/client';
import type { CallRecord } from '@parley/protocol';
import { formatDuration } from './call-labels';
import { useT, type MessageKey } from '../../i18n/i18n';

const OUTCOME = {
  answered: 'history.answered',
  missed: 'history.missed',
  declined: 'history.declined',
  cancelled: 'history.cancelled',
  busy: 'history.busy',
  unavailable: 'history.unavailable',
  failed: 'history.failed',
} as const satisfies Record<string, MessageKey>;

/** Recent calls, newest first. Opening it clears the missed-calls badge. */
export function CallHistoryPanel({ api, onSeen }: { api: AccountsApi; onSeen: () => void }) {
  const i18n = useT();
  const { t } = i18n;
  const [calls, setCalls] = useState<CallRecord[] | null>(null);
  useEffect(() => {
    let live = true;
    api
      .callHistory()
      .then((h) => {
        if (live) {
          setCalls(h.calls);
          onSeen();
        }
      })
      .catch(() => live && setCalls([]));
    return () => {
      live = false;
    };
  }, [api, onSeen]);

  if (!calls) {
    return <p className="contacts__empty">{t('chat.loading')}</p>;
  }
  if (calls.length === 0) {
    return <p className="contacts__empty">{t('history.empty')}</p>;
  }
  return (
    <ul className="history" data-testid="call-history">
      {calls.map((c) => (
        <li
          key={c.id}
          className={`history__row ${c.outcome === 'missed' && c.direction === 'incoming' ? 'is-missed' : ''}`}
          data-outcome={c.outcome}
        >
          <span
            className="history__dir"
            aria-label={c.direction === 'outgoing' ? t('history.outgoing') : t('history.incoming')}
          >
            {c.direction === 'outgoing' ? '↗' : '↙'}
          </span>
          <span className="history__who">
            <span className="contact__name">{c.peer.username}</span>
            <span className="contact__presence">
              {c.media === 'video' ? t('history.video') : t('history.voice')} ·{' '}
              {t(OUTCOME[c.outcome])}
              {c.durationSec > 0 ? ` · ${formatDuration(c.durationSec)}` : ''}
            </span>
          </span>
          <time className="history__time" dateTime={new Date(c.startedAt).toISOString()}>
            {i18n.date(new Date(c.startedAt), { dateStyle: 'short', timeStyle: 'short' })}
          </time>
        </li>
      ))}
    </ul>
  );
}
