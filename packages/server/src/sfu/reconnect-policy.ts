/**
 * When the Janus client tries its WebSocket again. The same interface as the client
 * SDK's `ReconnectPolicy` (the server does not depend on the SDK, so it has its own).
 */
export interface ReconnectPolicy {
  /** How long to wait before reconnect attempt `attempt` (0-based); null gives up. */
  nextDelayMs(attempt: number): number | null;
}

/**
 * Exponential backoff with jitter over the upper half: a Janus that restarts is found
 * again within a couple of seconds, and one that stays down is asked every few seconds,
 * which costs nothing.
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
      maxMs = 5000,
      maxAttempts = Infinity,
      random = Math.random,
    } = this.options;
    if (attempt >= maxAttempts) {
      return null;
    }
    const cap = Math.min(maxMs, baseMs * 2 ** attempt);
    return cap / 2 + random() * (cap / 2);
  }
}
