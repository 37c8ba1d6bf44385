/**
 * Token bucket: `ratePerSecond` sustained, bursts up to `burst`. Cheap enough to
 * run on every frame (two numbers per connection, no timers). Tokens are frames for the
 * frame limit, bytes for relayed room data.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number = ratePerSecond * 2,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Take `cost` tokens (one by default); false, taking none, when there are not that many. */
  take(cost = 1): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
    if (this.tokens < cost) {
      return false;
    }
    this.tokens -= cost;
    return true;
  }
}

/**
 * Token buckets by key (a client address, a room), for limits shared by several
 * connections. A bucket unused for as long as it takes to fill again from empty is
 * full, and is dropped, so memory follows the keys in use. Per node: with several
 * nodes each holds its own.
 */
export class KeyedBuckets {
  private readonly buckets = new Map<string, { bucket: TokenBucket; used: number }>();
  private lastSweep: number;
  /** How long an unused bucket takes to be full again, in ms. */
  private readonly refillMs: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly burst: number = ratePerSecond * 2,
  ) {
    this.lastSweep = now();
    this.refillMs = (burst / ratePerSecond) * 1000;
  }

  /** Take one token from `key`'s bucket; false when it is empty. */
  take(key: string): boolean {
    const t = this.now();
    if (t - this.lastSweep > this.refillMs) {
      this.sweep();
    }
    let entry = this.buckets.get(key);
    if (!entry) {
      entry = { bucket: new TokenBucket(this.ratePerSecond, this.burst, this.now), used: t };
      this.buckets.set(key, entry);
    }
    entry.used = t;
    return entry.bucket.take();
  }

  /** Keys with a bucket now. */
  keys(): IterableIterator<string> {
    return this.buckets.keys();
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Drop the buckets that are full again. Also runs by itself as keys are taken. */
  sweep(): void {
    const t = this.now();
    this.lastSweep = t;
    for (const [key, entry] of this.buckets) {
      if (t - entry.used >= this.refillMs) {
        this.buckets.delete(key);
      }
    }
  }
}
