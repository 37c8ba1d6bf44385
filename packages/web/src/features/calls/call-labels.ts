import type { CallConnection } from '@parley/client';
import type { CallEndReason, CallState } from '@parley/protocol';
import { t } from '../../i18n/i18n';

/** mm:ss, or h:mm:ss past an hour. */
export function formatDuration(totalSec: number): string {
  const s = Math.max(0, Math.floor(totalSec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${String(m).padStart(2, '0')}:${ss}`;
}

/** The status line under the other person's name. */
export function statusLabel(
  state: CallState,
  role: 'caller' | 'callee',
  connection: CallConnection,
): string {
  if (state === 'ringing') {
    return role === 'caller' ? t('call.status.ringing') : t('call.status.connecting');
  }
  switch (connection) {
    case 'connected':
      return t('call.status.connected');
    case 'reconnecting':
      return t('call.status.reconnecting');
    case 'closed':
      return t('call.status.ended');
    default:
      return t('call.status.connecting');
  }
}

/**
 * How a call ended, in words. `incoming`: it rang here and was not answered here
 * (answered on another device, or missed).
 */
export function outcomeLabel(
  reason: CallEndReason,
  peer: string,
  durationSec: number,
  incoming = false,
): string {
  const name = peer;
  const duration = formatDuration(durationSec);
  if (incoming) {
    return reason === 'answered_elsewhere'
      ? t('call.outcome.answeredElsewhereFrom', { name })
      : t('call.outcome.missed', { name });
  }
  switch (reason) {
    case 'hangup':
      return t('call.outcome.hangup', { name, duration });
    case 'declined':
      return t('call.outcome.declined', { name });
    case 'no_answer':
      return t('call.outcome.noAnswer', { name });
    case 'busy':
      return t('call.outcome.busy', { name });
    case 'unavailable':
      return t('call.outcome.unavailable', { name });
    case 'cancelled':
      return t('call.outcome.cancelled');
    case 'answered_elsewhere':
      return t('call.outcome.answeredElsewhere');
    case 'failed':
      return durationSec > 0
        ? t('call.outcome.dropped', { name, duration })
        : t('call.outcome.setupFailed', { name });
  }
}
