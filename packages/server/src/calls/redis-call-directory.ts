import type { Redis } from 'ioredis';
import type { SessionRef } from '../cluster/delivery.js';
import { defineScript } from '../cluster/redis-connection.js';
import type { CallDirectory, CallRecord, CreateOutcome } from './call-directory.js';

/*
 * Keys (all under the prefix):
 *   call:<callId>    the record (JSON); an ended one stays for `endedTtlMs`
 *   ucall:<userId>   the id of the user's live call
 *   calls            set of the ids of live calls
 *   ncalls:<nodeId>  set of the ids of live calls with an endpoint on that node
 *
 * Scripts read the stored record with cjson (only to read: version, state, endpoints)
 * and build `ncalls:` keys of the stored endpoints from the prefix, which is fine on a
 * single Redis (not Redis Cluster, where every key must be declared).
 */

/**
 * KEYS: call, ucall:<caller>, ucall:<callee>, calls, ncalls:<node>...
 * ARGV: id, record JSON, caller id, callee id, '1' to restore (no-op when the record exists).
 */
const createScript = defineScript(`
if ARGV[5] == '1' and redis.call('EXISTS', KEYS[1]) == 1 then return {'ok'} end
if redis.call('EXISTS', KEYS[2]) == 1 then return {'busy', ARGV[3]} end
if redis.call('EXISTS', KEYS[3]) == 1 then return {'busy', ARGV[4]} end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SET', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[1])
for i = 5, #KEYS do redis.call('SADD', KEYS[i], ARGV[1]) end
return {'ok'}`);

/**
 * Compare and set on the version of a live call.
 * KEYS: call, calls, ucall:<caller>, ucall:<callee>, ncalls:<node> of the new record...
 * ARGV: id, record JSON, expected stored version, '1' when ended, prefix, ended TTL (ms).
 */
const replaceScript = defineScript(`
local cur = redis.call('GET', KEYS[1])
if not cur then return 0 end
local c = cjson.decode(cur)
if c.state == 'ended' or tonumber(c.version) ~= tonumber(ARGV[3]) then return 0 end
local old = {}
local function reached(ep)
  if type(ep) == 'table' and type(ep.nodeId) == 'string' then
    old[ARGV[5] .. 'ncalls:' .. ep.nodeId] = true
  end
end
reached(c.callerEndpoint)
reached(c.calleeEndpoint)
if type(c.ringing) == 'table' then
  for _, ep in ipairs(c.ringing) do reached(ep) end
end
if ARGV[4] == '1' then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[6])
  for i = 3, 4 do
    if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
  end
  redis.call('SREM', KEYS[2], ARGV[1])
  for i = 5, #KEYS do old[KEYS[i]] = true end
  for k in pairs(old) do redis.call('SREM', k, ARGV[1]) end
else
  redis.call('SET', KEYS[1], ARGV[2])
  for i = 5, #KEYS do
    old[KEYS[i]] = nil
    redis.call('SADD', KEYS[i], ARGV[1])
  end
  for k in pairs(old) do redis.call('SREM', k, ARGV[1]) end
end
return 1`);

/** How long an ended call stays readable by `get`, by default. */
export const RECENTLY_ENDED_MS = 10 * 60_000;

export interface RedisCallDirectoryOptions {
  /** How long an ended call stays readable by `get` (default 10 minutes). */
  endedTtlMs?: number;
}

/** Live calls in Redis, shared by every node; each change is one Lua script. */
export class RedisCallDirectory implements CallDirectory {
  private readonly endedTtlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    options: RedisCallDirectoryOptions = {},
  ) {
    this.endedTtlMs = options.endedTtlMs ?? RECENTLY_ENDED_MS;
  }

  create(call: CallRecord): Promise<CreateOutcome> {
    return this.write(call, false);
  }

  async get(callId: string): Promise<CallRecord | undefined> {
    return parse(await this.redis.get(this.key('call', callId)));
  }

  async ofUser(userId: string): Promise<CallRecord | undefined> {
    const callId = await this.redis.get(this.key('ucall', userId));
    if (callId === null) {
      return undefined;
    }
    const call = await this.get(callId);
    return call?.state === 'ended' ? undefined : call;
  }

  async replace(next: CallRecord): Promise<boolean> {
    const done = await replaceScript(
      this.redis,
      [
        this.key('call', next.id),
        this.key('calls'),
        this.key('ucall', next.caller.id),
        this.key('ucall', next.callee.id),
        ...this.nodeKeys(next),
      ],
      [
        next.id,
        JSON.stringify(next),
        next.version - 1,
        next.state === 'ended' ? '1' : '0',
        this.prefix,
        this.endedTtlMs,
      ],
    );
    return done === 1;
  }

  async ofNode(nodeId: string): Promise<CallRecord[]> {
    const ids = await this.redis.smembers(this.key('ncalls', nodeId));
    if (ids.length === 0) {
      return [];
    }
    const values = await this.redis.mget(ids.map((id) => this.key('call', id)));
    const out: CallRecord[] = [];
    for (const value of values) {
      const call = parse(value);
      // An entry may be stale (a node died mid-change): trust the record, not the set.
      if (call && call.state !== 'ended' && endpoints(call).some((e) => e.nodeId === nodeId)) {
        out.push(call);
      }
    }
    return out;
  }

  async restore(call: CallRecord): Promise<void> {
    await this.write(call, true);
  }

  liveCount(): Promise<number> {
    return this.redis.scard(this.key('calls'));
  }

  private async write(call: CallRecord, restore: boolean): Promise<CreateOutcome> {
    const reply = (await createScript(
      this.redis,
      [
        this.key('call', call.id),
        this.key('ucall', call.caller.id),
        this.key('ucall', call.callee.id),
        this.key('calls'),
        ...this.nodeKeys(call),
      ],
      [call.id, JSON.stringify(call), call.caller.id, call.callee.id, restore ? '1' : '0'],
    )) as string[];
    const [status, busyUserId] = reply;
    return status === 'busy' && busyUserId !== undefined ? { ok: false, busyUserId } : { ok: true };
  }

  /** The `ncalls:` keys of every node the record has an endpoint on, once each. */
  private nodeKeys(call: CallRecord): string[] {
    return [...new Set(endpoints(call).map((e) => this.key('ncalls', e.nodeId)))];
  }

  private key(kind: string, id?: string): string {
    return id === undefined ? `${this.prefix}${kind}` : `${this.prefix}${kind}:${id}`;
  }
}

function endpoints(call: CallRecord): SessionRef[] {
  return [
    call.callerEndpoint,
    ...(call.calleeEndpoint ? [call.calleeEndpoint] : []),
    ...call.ringing,
  ];
}

function parse(value: string | null): CallRecord | undefined {
  return value === null ? undefined : (JSON.parse(value) as CallRecord);
}
