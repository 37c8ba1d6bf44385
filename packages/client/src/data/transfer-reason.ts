/**
 * Why a file transfer was declined, cancelled or failed: a stable code, and the numbers
 * its wording needs, so that an app says it in its user's language. Who it was about is
 * the transfer's own `peerName`, and its `direction` tells the two sides apart: on an
 * incoming transfer `declined` was our answer and `checksum_mismatch` our own check; on
 * an outgoing one the peer declined, and the peer's check failed.
 */
export type TransferReason =
  /** The receiver said no. */
  | { code: 'declined' }
  /** Over the receiver's size limit: declined without asking its user. */
  | { code: 'too_large'; limitBytes: number }
  /** Stopped by us (`byPeer: false`) or by the other side. */
  | { code: 'cancelled'; byPeer: boolean }
  /** The other side left the room. */
  | { code: 'peer_left' }
  /** The other side was not connected when its turn came. */
  | { code: 'not_connected' }
  /** The sender could not open the transfer's own data stream. */
  | { code: 'channel_failed' }
  /** The transfer's data stream closed before the end. */
  | { code: 'connection_closed' }
  /** The sender's data stream refused a chunk. */
  | { code: 'send_failed' }
  /** The sender sent text where file data was expected. */
  | { code: 'unexpected_text' }
  /** The sender sent more bytes than it announced. */
  | { code: 'too_much_data' }
  /** The bytes arrived, but their SHA-256 is not the one announced. */
  | { code: 'checksum_mismatch' }
  /** The receiver could not verify the file and gave a reason we do not know (an older peer). */
  | { code: 'verify_failed' };

export type TransferReasonCode = TransferReason['code'];

/** The failures a receiver reports to the sender in `done {ok: false, reason}`. */
export const RECEIVER_FAILURES = ['unexpected_text', 'too_much_data', 'checksum_mismatch'] as const;
export type ReceiverFailure = (typeof RECEIVER_FAILURES)[number];

/**
 * What a peer's `decline` means. It sends `reason: 'too_large'` with its `limitBytes`,
 * or `reason: 'declined'`; anything else (an older peer sent English sentences) is a
 * plain decline.
 */
export function declineReason(msg: Readonly<Record<string, unknown>>): TransferReason {
  if (
    msg.reason === 'too_large' &&
    typeof msg.limitBytes === 'number' &&
    Number.isSafeInteger(msg.limitBytes) &&
    msg.limitBytes >= 0
  ) {
    return { code: 'too_large', limitBytes: msg.limitBytes };
  }
  return { code: 'declined' };
}

/**
 * What a peer's `done {ok: false}` means: one of RECEIVER_FAILURES, or `verify_failed`
 * for a reason this version does not know.
 */
export function verifyFailure(msg: Readonly<Record<string, unknown>>): TransferReason {
  const known = RECEIVER_FAILURES.find((code) => code === msg.reason);
  return { code: known ?? 'verify_failed' };
}
