import type { Redis } from 'ioredis';
import { defineScript } from '../cluster/redis-connection.js';
import type {
  BoardDirectory,
  PostLimits,
  PostOutcome,
  StoredPost,
  TakeOutcome,
} from './board-directory.js';

/*
 * Keys (all under the prefix):
 *   board:posts          hash post id → the post (JSON)
 *   board:order          sorted set of post ids in the order the board took them
 *   board:seq            the counter behind board:order's scores
 *   board:expiry         sorted set of post ids by expiry time
 *   board:owner:<id>     set of a person's open post ids
 */

const COMMON_LUA = `
local P = ARGV[1]
local function drop(id, owner)
  redis.call('HDEL', P .. 'board:posts', id)
  redis.call('ZREM', P .. 'board:order', id)
  redis.call('ZREM', P .. 'board:expiry', id)
  redis.call('SREM', P .. 'board:owner:' .. owner, id)
end
`;

/**
 * ARGV: prefix, id, post JSON, owner, expiresAt, maxPosts, maxPerPerson.
 * The order's score is a counter, not the posting time: two posts in one millisecond (or
 * from nodes whose clocks differ) still list in the order the board accepted them.
 */
const postScript = defineScript(`${COMMON_LUA}
if redis.call('ZCARD', P .. 'board:order') >= tonumber(ARGV[6]) then return 'board_full' end
if redis.call('SCARD', P .. 'board:owner:' .. ARGV[4]) >= tonumber(ARGV[7]) then return 'too_many_posts' end
redis.call('HSET', P .. 'board:posts', ARGV[2], ARGV[3])
redis.call('ZADD', P .. 'board:order', redis.call('INCR', P .. 'board:seq'), ARGV[2])
redis.call('ZADD', P .. 'board:expiry', ARGV[5], ARGV[2])
redis.call('SADD', P .. 'board:owner:' .. ARGV[4], ARGV[2])
return 'ok'`);

/** First answer wins. ARGV: prefix, id, taker. → {'ok', post} | {'gone'} | {'own'} */
const takeScript = defineScript(`${COMMON_LUA}
local raw = redis.call('HGET', P .. 'board:posts', ARGV[2])
if not raw then return {'gone'} end
local p = cjson.decode(raw)
if p.owner == ARGV[3] then return {'own'} end
drop(ARGV[2], p.owner)
return {'ok', raw}`);

/** ARGV: prefix, id, owner ('' = anyone's). → the post, or false. */
const removeScript = defineScript(`${COMMON_LUA}
local raw = redis.call('HGET', P .. 'board:posts', ARGV[2])
if not raw then return false end
local p = cjson.decode(raw)
if ARGV[3] ~= '' and p.owner ~= ARGV[3] then return false end
drop(ARGV[2], p.owner)
return raw`);

/** The board in Redis, shared by every node; each change is one Lua script. */
export class RedisBoardDirectory implements BoardDirectory {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async post(post: StoredPost, limits: PostLimits): Promise<PostOutcome> {
    return (await postScript(
      this.redis,
      [],
      [
        this.prefix,
        post.id,
        JSON.stringify(post),
        post.owner,
        post.expiresAt,
        limits.maxPosts,
        limits.maxPerPerson,
      ],
    )) as PostOutcome;
  }

  async take(postId: string, taker: string): Promise<TakeOutcome> {
    const out = (await takeScript(this.redis, [], [this.prefix, postId, taker])) as string[];
    if (out[0] === 'ok') {
      return { ok: true, post: JSON.parse(out[1] ?? '{}') as StoredPost };
    }
    return { ok: false, reason: out[0] === 'own' ? 'own' : 'gone' };
  }

  async withdraw(postId: string, owner: string): Promise<StoredPost | undefined> {
    const raw = await removeScript(this.redis, [], [this.prefix, postId, owner]);
    return typeof raw === 'string' ? (JSON.parse(raw) as StoredPost) : undefined;
  }

  async remove(postIds: readonly string[]): Promise<StoredPost[]> {
    const out: StoredPost[] = [];
    for (const id of postIds) {
      const raw = await removeScript(this.redis, [], [this.prefix, id, '']);
      if (typeof raw === 'string') {
        out.push(JSON.parse(raw) as StoredPost);
      }
    }
    return out;
  }

  async list(): Promise<StoredPost[]> {
    const ids = await this.redis.zrange(`${this.prefix}board:order`, '0', '-1');
    return this.byIds(ids);
  }

  async ofOwner(owner: string): Promise<StoredPost[]> {
    return this.byIds(await this.redis.smembers(`${this.prefix}board:owner:${owner}`));
  }

  expired(now: number): Promise<string[]> {
    return this.redis.zrangebyscore(`${this.prefix}board:expiry`, '-inf', String(now));
  }

  private async byIds(ids: string[]): Promise<StoredPost[]> {
    if (ids.length === 0) {
      return [];
    }
    const raws = await this.redis.hmget(`${this.prefix}board:posts`, ...ids);
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as StoredPost);
  }
}
