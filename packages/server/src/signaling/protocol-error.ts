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

/**
 * What a handler throws when the shared state (Redis) or the database did not answer:
 * the server's problem, said so, with a code the client may retry on. A ProtocolError
 * passes through unchanged.
 */
export function unavailable(err: unknown): Error {
  if (err instanceof ProtocolError) {
    return err;
  }
  return new ProtocolError(
    'unavailable',
    'the server cannot reach its shared state right now; try again in a moment',
    { cause: err },
  );
}

/** Await a step on the shared state (Redis) or the database; its failure is `unavailable`. */
export async function orUnavailable<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (err) {
    throw unavailable(err);
  }
}
