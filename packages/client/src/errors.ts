import type { ErrorCode } from '@parley/protocol/constants';

/** An `error` frame from the server, or a failure of the SDK itself, with a stable code. */
export class ParleyError extends Error {
  override name = 'ParleyError';
  constructor(
    readonly code:
      | ErrorCode
      | 'connection_closed'
      | 'timeout'
      | 'closed'
      | 'outbox_full'
      | 'file_unreadable'
      /** The host removed us from the room. */
      | 'removed'
      /** The host ended the room for everyone. */
      | 'room_ended',
    message: string,
  ) {
    super(message);
  }
}
