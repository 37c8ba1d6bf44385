import type { Redis } from 'ioredis';
import type { RoomGrants } from './room-access.js';

/** Private room grants in Redis: one set per room (`grant:<roomId>`) that expires with the grant. */
export class RedisRoomGrants implements RoomGrants {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async grant(roomId: string, sessionIds: readonly string[], ttlMs: number): Promise<void> {
    const key = `${this.prefix}grant:${roomId}`;
    await this.redis
      .multi()
      .del(key)
      .sadd(key, ...sessionIds)
      .pexpire(key, ttlMs)
      .exec();
  }

  async allows(roomId: string, sessionId: string): Promise<boolean> {
    return (await this.redis.sismember(`${this.prefix}grant:${roomId}`, sessionId)) === 1;
  }
}
