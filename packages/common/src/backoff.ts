/** Decides how long to wait before reconnect attempt `attempt` (0-based); null gives up. */
export interface ReconnectPolicy {
  nextDelayMs(attempt: number): number | null;
}

/**
 * Exponential backoff with jitter over the upper half of each step: a crowd of clients
 * that lost the same server spreads out instead of coming back all at once, and the
 * first retry is never instant.
 */
export class ExponentialBackoff implements ReconnectPolicy {
  constructor(
    private readonly options: {
      baseMs?: number;
      maxMs?: number;
      maxAttempts?: number;
      random?: () => number;
    } = {},
  ) {}

  nextDelayMs(attempt: number): number | null {
    const {
      baseMs = 250,
      // Short enough that a restarted server sees everyone back within ~3 s, long
      // enough (with the jitter) not to hammer one that is struggling.
      maxMs = 2500,
      maxAttempts = Infinity,
      random = Math.random,
    } = this.options;
    if (attempt >= maxAttempts) {
      return null;
    }
    const cap = Math.min(maxMs, baseMs * 2 ** attempt);
    // Never less than half the cap, so the first retry is not instant and hammering.
    return cap / 2 + random() * (cap / 2);
  }
}
