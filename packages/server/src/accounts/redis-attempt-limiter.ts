import type { Redis } from 'ioredis';
import { defineScript } from '../cluster/redis-connection.js';
import type { AttemptLimiter } from './sign-in-limiter.js';

/** Count an attempt; the window starts with the first one and expires with it. */
const take = defineScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return n`);

/**
 * Fixed windows in Redis, shared by every node: an attacker who spreads guesses over
 * the nodes behind a load balancer gets the same `max` per window as on one node.
 */
export class RedisWindowLimiter implements AttemptLimiter {
  constructor(
    private readonly redis: Redis,
    /** e.g. `parley:limit:signin-ip:`; the key follows. */
    private readonly keyPrefix: string,
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  async take(key: string): Promise<boolean> {
    const n = Number(await take(this.redis, [this.keyPrefix + key], [String(this.windowMs)]));
    return n <= this.max;
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.keyPrefix + key);
  }
}
