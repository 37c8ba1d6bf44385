import type { ErrorCode } from '@parley/protocol';

/**
 * Thrown by a message handler to answer the sender with an `error` frame.
 * The gateway adds the request's `rid` and `type`; nothing else is affected.
 */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
