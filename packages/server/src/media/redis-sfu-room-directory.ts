import type { Redis } from 'ioredis';
import { defineScript } from '../cluster/redis-connection.js';
import type { MediaMode, SfuRoomDirectory, SfuRoomRecord } from './sfu-room-directory.js';

/*
 * Keys (under the prefix):
 *   sfu:<roomId>   hash: mode -> "mesh" | "sfu"; videoroom -> the record's JSON
 */

const switchScript = defineScript(`
local mode = redis.call('HGET', KEYS[1], 'mode') or 'mesh'
if mode ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'mode', ARGV[2])
return 1`);

const removeScript = defineScript(`
local v = redis.call('HGET', KEYS[1], 'videoroom')
redis.call('DEL', KEYS[1])
return v`);

/** Room modes and videorooms in Redis, shared by every node. */
export class RedisSfuRoomDirectory implements SfuRoomDirectory {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async mode(roomId: string): Promise<MediaMode> {
    return (await this.redis.hget(this.key(roomId), 'mode')) === 'sfu' ? 'sfu' : 'mesh';
  }

  async switchMode(roomId: string, from: MediaMode, to: MediaMode): Promise<boolean> {
    return (await switchScript(this.redis, [this.key(roomId)], [from, to])) === 1;
  }

  async videoroom(roomId: string, fresh: SfuRoomRecord): Promise<SfuRoomRecord> {
    const key = this.key(roomId);
    await this.redis.hsetnx(key, 'videoroom', JSON.stringify(fresh));
    const stored = await this.redis.hget(key, 'videoroom');
    return stored ? (JSON.parse(stored) as SfuRoomRecord) : fresh;
  }

  async remove(roomId: string): Promise<SfuRoomRecord | undefined> {
    const stored = (await removeScript(this.redis, [this.key(roomId)], [])) as string | null;
    return stored ? (JSON.parse(stored) as SfuRoomRecord) : undefined;
  }

  private key(roomId: string): string {
    return `${this.prefix}sfu:${roomId}`;
  }
}
