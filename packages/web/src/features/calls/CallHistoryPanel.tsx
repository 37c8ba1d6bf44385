import { useEffect, useState } from 'react';
import type { AccountsApi } from '@parley/client';
import type { CallRecord } from '@parley/protocol';
import { formatDuration } from './call-labels';

const OUTCOME = {
  answered: 'Answered',
  missed: 'Missed',
  declined: 'Declined',
  cancelled: 'Cancelled',
  busy: 'Busy',
  unavailable: 'Unavailable',
  failed: 'Failed',
} as const;

/** Recent calls, newest first. Opening it clears the missed-calls badge. */
export function CallHistoryPanel({ api, onSeen }: { api: AccountsApi; onSeen: () => void }) {
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
    return <p className="contacts__empty">Loading…</p>;
  }
  if (calls.length === 0) {
    return <p className="contacts__empty">No calls yet.</p>;
  }
  return (
    <ul className="history" data-testid="call-history">
      {calls.map((c) => (
        <li
          key={c.id}
          className={`history__row ${c.outcome === 'missed' && c.direction === 'incoming' ? 'is-missed' : ''}`}
          data-outcome={c.outcome}
        >
          <span className="history__dir" aria-label={c.direction}>
            {c.direction === 'outgoing' ? '↗' : '↙'}
          </span>
          <span className="history__who">
            <span className="contact__name">{c.peer.username}</span>
            <span className="contact__presence">
              {c.media === 'video' ? 'Video' : 'Voice'} · {OUTCOME[c.outcome]}
              {c.durationSec > 0 ? ` · ${formatDuration(c.durationSec)}` : ''}
            </span>
          </span>
          <time className="history__time" dateTime={new Date(c.startedAt).toISOString()}>
            {new Date(c.startedAt).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })}
          </time>
        </li>
      ))}
    </ul>
  );
}
