import type { ErrorCode } from '@parley/protocol/constants';

/** An `error` frame from the server, or a failure of the SDK itself, with a stable code. */
export class ParleyError extends Error {
  override name = 'ParleyError';
  constructor(
    readonly code: ErrorCode | 'connection_closed' | 'timeout' | 'closed' | 'file_unreadable',
    message: string,
  ) {
    super(message);
  }
}
