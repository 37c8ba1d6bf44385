import type { Transfer, TransferReason } from '@parley/client';
import type { I18n } from '../../i18n/i18n';

/**
 * Why a transfer stopped, in the reader's language, from the SDK's reason code. The
 * direction tells who it happened to: on a file we sent, `declined` was the peer's
 * answer and `checksum_mismatch` the peer's check.
 */
export function transferReasonText(
  t: Pick<Transfer, 'direction' | 'peerName'>,
  reason: TransferReason,
  i18n: I18n,
): string {
  const name = t.peerName;
  const sent = t.direction === 'out';
  switch (reason.code) {
    case 'declined':
      return sent ? i18n.t('files.reason.declinedBy', { name }) : i18n.t('files.reason.declined');
    case 'too_large': {
      const max = i18n.fileSize(reason.limitBytes);
      return sent
        ? i18n.t('files.reason.tooLargeFor', { name, max })
        : i18n.t('files.reason.tooLarge', { max });
    }
    case 'cancelled':
      return reason.byPeer
        ? i18n.t('files.reason.cancelledBy', { name })
        : i18n.t('files.reason.cancelled');
    case 'peer_left':
      return i18n.t('files.reason.peerLeft', { name });
    case 'not_connected':
      return i18n.t('files.reason.notConnected', { name });
    case 'channel_failed':
      return i18n.t('files.reason.channelFailed');
    case 'connection_closed':
      return i18n.t('files.reason.connectionClosed', { name });
    case 'send_failed':
      return i18n.t('files.reason.sendFailed');
    case 'unexpected_text':
      return sent
        ? i18n.t('files.reason.unexpectedTextAt', { name })
        : i18n.t('files.reason.unexpectedText');
    case 'too_much_data':
      return sent
        ? i18n.t('files.reason.tooMuchDataAt', { name })
        : i18n.t('files.reason.tooMuchData');
    case 'checksum_mismatch':
      return sent
        ? i18n.t('files.reason.checksumMismatchAt', { name })
        : i18n.t('files.reason.checksumMismatch');
    case 'verify_failed':
      return i18n.t('files.reason.verifyFailed', { name });
  }
}
