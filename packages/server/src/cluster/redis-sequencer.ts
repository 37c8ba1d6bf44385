import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { defineScript } from './redis-connection.js';
import { LocalSequencer, type Sequencer } from './sequencer.js';

/** Release the lock only if it is still ours (it may have expired and been taken). */
const release = defineScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`);

export interface RedisSequencerOptions {
  /** A lock outlives a node that died holding it by at most this long. */
  lockTtlMs?: number;
  /** Give up waiting for a lock after this long (the caller reports `unavailable`). */
  waitMs?: number;
}

/**
 * Tasks of one key run in turn on this node (a promise chain, so a node does not
 * compete with itself) and across nodes under a Redis lock (SET NX PX with a token).
 * A task must finish well within the lock's TTL; room chat's store-and-publish does.
 */
export class RedisSequencer implements Sequencer {
  private readonly local = new LocalSequencer();
  private readonly lockTtlMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    options: RedisSequencerOptions = {},
  ) {
    this.lockTtlMs = options.lockTtlMs ?? 5000;
    this.waitMs = options.waitMs ?? 5000;
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.local.run(key, async () => {
      const lock = `${this.prefix}lock:${key}`;
      const token = randomBytes(9).toString('base64url');
      await this.acquire(lock, token);
      try {
        return await task();
      } finally {
        await release(this.redis, [lock], [token]).catch(() => undefined);
      }
    });
  }

  private async acquire(lock: string, token: string): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    for (let delay = 1; ; delay = Math.min(delay * 2, 20)) {
      if ((await this.redis.set(lock, token, 'PX', this.lockTtlMs, 'NX')) === 'OK') {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${lock}`);
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
