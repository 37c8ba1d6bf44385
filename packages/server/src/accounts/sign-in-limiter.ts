/**
 * Sign-in throttling, per client address and per account name. A fixed window per
 * key is enough here: it bounds guessing to `max` tries per `windowMs` for one
 * account however many addresses try it, and per address however many accounts.
 */
export interface AttemptLimiter {
  /** Count one attempt for `key`; false when the key is over its limit. */
  take(key: string): Promise<boolean>;
  /** Forget a key (after a successful sign-in). */
  reset(key: string): Promise<void>;
}

/** In-process windows: the embedded default (one node). */
export class FixedWindowLimiter implements AttemptLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    /** Keys kept at most; the oldest windows are dropped first, so memory stays bounded. */
    private readonly maxKeys = 100_000,
  ) {}

  take(key: string): Promise<boolean> {
    return Promise.resolve(this.takeNow(key));
  }

  private takeNow(key: string): boolean {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= this.windowMs) {
      this.windows.delete(key);
      if (this.windows.size >= this.maxKeys) {
        const oldest = this.windows.keys().next().value;
        if (oldest !== undefined) {
          this.windows.delete(oldest);
        }
      }
      w = { start: t, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return w.count <= this.max;
  }

  reset(key: string): Promise<void> {
    this.windows.delete(key);
    return Promise.resolve();
  }
}
