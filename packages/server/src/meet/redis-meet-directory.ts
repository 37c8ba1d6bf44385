import type { Redis } from 'ioredis';
import { defineScript } from '../cluster/redis-connection.js';
import {
  MATCH_KEEP_MS,
  RECENT_WAITS,
  type EndOutcome,
  type EndRequest,
  type MeetDirectory,
  type MeetMatchRecord,
  type MeetPerson,
  type PairRequest,
} from './meet-directory.js';

/*
 * Keys (all under the prefix):
 *   meet:people        hash person id → the person (JSON), for everyone not idle
 *   meet:waiting       sorted set of waiting person ids, by waiting-since
 *   meet:match:<id>    a match (JSON); kept MATCH_KEEP_MS after it ended (to report it)
 *   meet:excl:<id>     sorted set: person id → until when they are kept apart (1e15: for good)
 *   meet:waits         list of the latest waits (ms), newest first
 *
 * Scripts build keys from the prefix (ARGV[1]), which is fine on a single Redis (not
 * Redis Cluster). cjson turns an empty array into {}: readers normalize (see `person`).
 */

const COMMON_LUA = `
local P = ARGV[1]
local function list(t) if type(t) == 'table' then return t end return {} end
local function lang(p) if type(p.language) == 'string' then return string.lower(p.language) end return nil end
local function requeue(p, now)
  p.state = 'waiting'; p.since = now
  p.matchId = nil; p.room = nil; p.joinBy = nil; p.peer = nil
  redis.call('HSET', P .. 'meet:people', p.id, cjson.encode(p))
  redis.call('ZADD', P .. 'meet:waiting', now, p.id)
end
local function remove(id)
  redis.call('HDEL', P .. 'meet:people', id)
  redis.call('ZREM', P .. 'meet:waiting', id)
end
local function exclude(a, b, untilMs)
  for _, pair in ipairs({{a, b}, {b, a}}) do
    local key = P .. 'meet:excl:' .. pair[1]
    local cur = tonumber(redis.call('ZSCORE', key, pair[2]) or '0')
    if untilMs > cur then redis.call('ZADD', key, untilMs, pair[2]) end
  end
end
`;

/** ARGV: prefix, id, person JSON, since. → 1 started, 0 already in meet. */
const startScript = defineScript(`${COMMON_LUA}
if redis.call('HEXISTS', P .. 'meet:people', ARGV[2]) == 1 then return 0 end
redis.call('HSET', P .. 'meet:people', ARGV[2], ARGV[3])
redis.call('ZADD', P .. 'meet:waiting', ARGV[4], ARGV[2])
return 1`);

/**
 * The pairing rule of `pairScore`, atomically: both leave the queue matched, or nothing.
 * ARGV: prefix, id, now, anyoneAfterMs, scanLimit, matchId, room, joinBy, keepMs, recentWaits.
 * → the match (JSON), or false.
 */
const pairScript = defineScript(`${COMMON_LUA}
local id, now, anyone, limit = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local raw = redis.call('HGET', P .. 'meet:people', id)
if not raw then return false end
local me = cjson.decode(raw)
if me.state ~= 'waiting' then return false end
local mine, myCount = {}, 0
for _, t in ipairs(list(me.interests)) do mine[t] = true; myCount = myCount + 1 end
local myLang = lang(me)
local maxScore = myCount * 10 + (myLang and 5 or 0)
local best, bestScore, bestCommon = nil, -1, {}
local excl = P .. 'meet:excl:' .. id
for _, cid in ipairs(redis.call('ZRANGE', P .. 'meet:waiting', 0, limit - 1)) do
  if cid ~= id then
    local untilMs = redis.call('ZSCORE', excl, cid)
    if not untilMs or tonumber(untilMs) <= now then
      local craw = redis.call('HGET', P .. 'meet:people', cid)
      if craw then
        local c = cjson.decode(craw)
        local common, cCount = {}, 0
        for _, t in ipairs(list(c.interests)) do
          cCount = cCount + 1
          if mine[t] then common[#common + 1] = t end
        end
        local cLang = lang(c)
        local sameLang = myLang ~= nil and myLang == cLang
        local langOk = myLang == nil or cLang == nil or sameLang
        local long = (now - me.since >= anyone) or (now - c.since >= anyone)
        if long or #common > 0 or (myCount == 0 and cCount == 0 and langOk) then
          local score = #common * 10 + (sameLang and 5 or 0)
          if score > bestScore then best, bestScore, bestCommon = c, score, common end
          if score >= maxScore then break end
        end
      end
    end
  end
end
if not best then return false end
local function peer(of)
  return { name = of.name, language = of.language, commonInterests = bestCommon }
end
local matchId, room, joinBy = ARGV[6], ARGV[7], tonumber(ARGV[8])
local meWas, bestWas = cjson.decode(raw), cjson.decode(cjson.encode(best))
for _, p in ipairs({{me, best}, {best, me}}) do
  local x, y = p[1], p[2]
  redis.call('LPUSH', P .. 'meet:waits', now - x.since)
  x.state = 'matched'; x.matchId = matchId; x.room = room; x.joinBy = joinBy
  x.peer = peer(y == me and meWas or bestWas)
  redis.call('HSET', P .. 'meet:people', x.id, cjson.encode(x))
  redis.call('ZREM', P .. 'meet:waiting', x.id)
end
redis.call('LTRIM', P .. 'meet:waits', 0, tonumber(ARGV[10]) - 1)
local m = cjson.encode({ id = matchId, room = room, a = me, b = best, createdAt = now, joinBy = joinBy })
-- No expiry while it lasts (a call may be long); \`end\` gives it MATCH_KEEP_MS.
redis.call('SET', P .. 'meet:match:' .. matchId, m)
return m`);

/** ARGV: prefix, id, matchId. → the person (JSON) now in-call, or false. */
const joinedScript = defineScript(`${COMMON_LUA}
local raw = redis.call('HGET', P .. 'meet:people', ARGV[2])
if not raw then return false end
local me = cjson.decode(raw)
if me.matchId ~= ARGV[3] then return false end
me.state = 'in-call'
raw = cjson.encode(me)
redis.call('HSET', P .. 'meet:people', ARGV[2], raw)
return raw`);

/**
 * ARGV: prefix, id, matchId ('' = any), '1' to requeue, now, skipUntil ('0' = none), keepMs.
 * → {'idle'} | {'waiting', '1' removed | '0'} | {'stale'} | {'ended', match, other or ''}
 */
const endScript = defineScript(`${COMMON_LUA}
local id, onlyMatch, requeueSelf, now = ARGV[2], ARGV[3], ARGV[4] == '1', tonumber(ARGV[5])
local skipUntil = tonumber(ARGV[6])
local raw = redis.call('HGET', P .. 'meet:people', id)
if not raw then return {'idle'} end
local me = cjson.decode(raw)
if me.state == 'waiting' then
  if onlyMatch ~= '' then return {'stale'} end
  if requeueSelf then return {'waiting', '0'} end
  remove(id)
  return {'waiting', '1'}
end
if onlyMatch ~= '' and me.matchId ~= onlyMatch then return {'stale'} end
local matchId = me.matchId
local mkey = P .. 'meet:match:' .. matchId
local mraw = redis.call('GET', mkey)
if requeueSelf then requeue(me, now) else remove(id) end
if not mraw then return {'waiting', requeueSelf and '0' or '1'} end
local m = cjson.decode(mraw)
local otherId = m.a.id == id and m.b.id or m.a.id
local otherOut = ''
local oraw = redis.call('HGET', P .. 'meet:people', otherId)
if oraw then
  local o = cjson.decode(oraw)
  if o.matchId == matchId then
    requeue(o, now)
    otherOut = cjson.encode(o)
  end
end
if skipUntil > 0 then exclude(id, otherId, skipUntil) end
m.endedAt = now
mraw = cjson.encode(m)
redis.call('SET', mkey, mraw, 'PX', ARGV[7])
return {'ended', mraw, otherOut}`);

/** ARGV: prefix, a, b, until. */
const excludeScript = defineScript(`${COMMON_LUA}
exclude(ARGV[2], ARGV[3], tonumber(ARGV[4]))
return 1`);

/** Meet in Redis, shared by every node; each change is one Lua script. */
export class RedisMeetDirectory implements MeetDirectory {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async start(person: MeetPerson): Promise<boolean> {
    const p = { ...person, state: 'waiting' };
    const done = await startScript(
      this.redis,
      [],
      [this.prefix, person.id, JSON.stringify(p), person.since],
    );
    return done === 1;
  }

  async get(personId: string): Promise<MeetPerson | undefined> {
    return person(await this.redis.hget(`${this.prefix}meet:people`, personId));
  }

  async pair(personId: string, r: PairRequest): Promise<MeetMatchRecord | undefined> {
    const raw = await pairScript(
      this.redis,
      [],
      [
        this.prefix,
        personId,
        r.now,
        r.anyoneAfterMs,
        r.scanLimit,
        r.matchId,
        r.room,
        r.joinBy,
        MATCH_KEEP_MS,
        RECENT_WAITS,
      ],
    );
    return typeof raw === 'string' ? matchRecord(raw) : undefined;
  }

  async joined(personId: string, matchId: string): Promise<MeetPerson | undefined> {
    const raw = await joinedScript(this.redis, [], [this.prefix, personId, matchId]);
    return person(typeof raw === 'string' ? raw : null);
  }

  async end(personId: string, r: EndRequest): Promise<EndOutcome> {
    const out = (await endScript(
      this.redis,
      [],
      [
        this.prefix,
        personId,
        r.matchId ?? '',
        r.requeue ? '1' : '0',
        r.now,
        r.skipUntil ?? 0,
        MATCH_KEEP_MS,
      ],
    )) as string[];
    switch (out[0]) {
      case 'idle':
        return { kind: 'idle' };
      case 'stale':
        return { kind: 'stale' };
      case 'waiting':
        return { kind: 'waiting', removed: out[1] === '1' };
      default:
        return {
          kind: 'ended',
          match: matchRecord(out[1] ?? '{}'),
          other: out[2] ? person(out[2]) : undefined,
        };
    }
  }

  async exclude(a: string, b: string, until: number): Promise<void> {
    await excludeScript(this.redis, [], [this.prefix, a, b, until]);
  }

  async match(matchId: string): Promise<MeetMatchRecord | undefined> {
    const raw = await this.redis.get(`${this.prefix}meet:match:${matchId}`);
    return raw === null ? undefined : matchRecord(raw);
  }

  waitingCount(): Promise<number> {
    return this.redis.zcard(`${this.prefix}meet:waiting`);
  }

  async recentWaits(): Promise<number[]> {
    return (await this.redis.lrange(`${this.prefix}meet:waits`, 0, RECENT_WAITS - 1)).map(Number);
  }

  async ofNode(nodeId: string): Promise<MeetPerson[]> {
    const all = await this.redis.hvals(`${this.prefix}meet:people`);
    return all.map((raw) => person(raw) as MeetPerson).filter((p) => p.ref.nodeId === nodeId);
  }
}

const array = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);

/** A person as stored, with the arrays cjson may have written as {}. */
function person(raw: string | null): MeetPerson | undefined {
  if (raw === null) {
    return undefined;
  }
  return normalize(JSON.parse(raw) as MeetPerson);
}

function normalize(p: MeetPerson): MeetPerson {
  p.interests = array(p.interests);
  if (p.peer) {
    p.peer.commonInterests = array(p.peer.commonInterests);
  }
  return p;
}

function matchRecord(raw: string): MeetMatchRecord {
  const m = JSON.parse(raw) as MeetMatchRecord;
  normalize(m.a);
  normalize(m.b);
  return m;
}
