import type { CallConnection } from '@parley/client';
import type { CallEndReason, CallState } from '@parley/protocol';

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
    return role === 'caller' ? 'Ringing…' : 'Connecting…';
  }
  switch (connection) {
    case 'connected':
      return 'Connected';
    case 'reconnecting':
      return 'Connection unstable, reconnecting…';
    case 'closed':
      return 'Call ended';
    default:
      return 'Connecting…';
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
  if (incoming) {
    return reason === 'answered_elsewhere'
      ? `Call from ${peer} answered on another device`
      : `Missed call from ${peer}`;
  }
  switch (reason) {
    case 'hangup':
      return `Call with ${peer} ended · ${formatDuration(durationSec)}`;
    case 'declined':
      return `${peer} declined the call`;
    case 'no_answer':
      return `${peer} did not answer`;
    case 'busy':
      return `${peer} is in another call`;
    case 'unavailable':
      return `${peer} is not online`;
    case 'cancelled':
      return 'Call cancelled';
    case 'answered_elsewhere':
      return 'Answered on another device';
    case 'failed':
      return durationSec > 0
        ? `Call with ${peer} dropped · ${formatDuration(durationSec)}`
        : `The call to ${peer} could not be set up`;
  }
}
