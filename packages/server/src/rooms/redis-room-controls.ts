import type { Redis } from 'ioredis';
import { defineScript } from '../cluster/redis-connection.js';
import type {
  ControlPatch,
  RoomControlDirectory,
  RoomControlState,
  Waiter,
} from './room-controls.js';

/*
 * Keys (under the prefix):
 *   roomctl:<roomId>  string: the RoomControlState as JSON
 *   lobby:<roomId>    hash waiterId -> Waiter JSON
 *   lobbyq:<roomId>   sorted set of waiter ids in the order they knocked
 *   lobbyseq          the counter behind lobbyq's scores
 * The order is a counter, not `since`: two knocks in one millisecond (on one node or two)
 * still list in the order the lobby took them, so the host's first is the first to knock.
 * Changes are read-modify-write in Lua on the JSON of booleans and strings only, which
 * cjson round-trips exactly.
 */

const createScript = defineScript(`
local old = redis.call('GET', KEYS[1])
if old then return {0, old} end
redis.call('SET', KEYS[1], ARGV[1])
return {1, ARGV[1]}`);

const updateScript = defineScript(`
local old = redis.call('GET', KEYS[1])
if not old then return false end
local s = cjson.decode(old)
local p = cjson.decode(ARGV[1])
for k, v in pairs(p) do s[k] = v end
if p['passwordHash'] == nil and ARGV[2] == '1' then s['passwordHash'] = cjson.null end
local out = cjson.encode(s)
redis.call('SET', KEYS[1], out)
return out`);

const setHostScript = defineScript(`
local old = redis.call('GET', KEYS[1])
if not old then return 0 end
local s = cjson.decode(old)
if ARGV[1] ~= '' and s['host'] ~= ARGV[1] then return 0 end
s['host'] = ARGV[2]
s['hostKeyHash'] = ARGV[3]
redis.call('SET', KEYS[1], cjson.encode(s))
return 1`);

/** Lua: the waiters of lobby hash KEYS[h] in the order of sorted set KEYS[q]. */
const IN_ORDER_LUA = `
local function inOrder(h, q)
  local ids = redis.call('ZRANGE', q, 0, -1)
  if #ids == 0 then return {} end
  local out = {}
  for _, w in ipairs(redis.call('HMGET', h, unpack(ids))) do
    if w then out[#out + 1] = w end
  end
  return out
end
`;

/** KEYS: state, lobby, lobby order. */
const deleteScript = defineScript(`${IN_ORDER_LUA}
local w = inOrder(KEYS[2], KEYS[3])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return w`);

/** KEYS: lobby, lobby order, counter. ARGV: waiter id, waiter JSON, max. */
const addWaiterScript = defineScript(`
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[1])
return 1`);

/** KEYS: lobby, lobby order. ARGV: waiter id. */
const takeWaiterScript = defineScript(`
local w = redis.call('HGET', KEYS[1], ARGV[1])
if not w then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return w`);

/** KEYS: lobby, lobby order. */
const waitersScript = defineScript(`${IN_ORDER_LUA}
return inOrder(KEYS[1], KEYS[2])`);

/** Room controls in Redis, shared by every node. */
export class RedisRoomControls implements RoomControlDirectory {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(roomId: string): Promise<RoomControlState | undefined> {
    const v = await this.redis.get(this.stateKey(roomId));
    return v === null ? undefined : (JSON.parse(v) as RoomControlState);
  }

  async create(
    roomId: string,
    state: RoomControlState,
  ): Promise<{ created: boolean; state: RoomControlState }> {
    const [created, json] = (await createScript(
      this.redis,
      [this.stateKey(roomId)],
      [JSON.stringify(state)],
    )) as [number, string];
    return { created: created === 1, state: JSON.parse(json) as RoomControlState };
  }

  async update(roomId: string, patch: ControlPatch): Promise<RoomControlState | undefined> {
    // cjson cannot carry a null through a Lua table: "clear the password" is its own flag.
    const clearPassword = patch.passwordHash === null;
    const { passwordHash, ...rest } = patch;
    const sent = passwordHash ? { ...rest, passwordHash } : rest;
    const out = (await updateScript(
      this.redis,
      [this.stateKey(roomId)],
      [JSON.stringify(sent), clearPassword ? '1' : '0'],
    )) as string | null;
    return out === null ? undefined : decodeState(out);
  }

  async setHost(
    roomId: string,
    expected: string | null,
    host: string,
    hostKeyHash: string,
  ): Promise<boolean> {
    const done = await setHostScript(
      this.redis,
      [this.stateKey(roomId)],
      [expected ?? '', host, hostKeyHash],
    );
    return done === 1;
  }

  async delete(roomId: string): Promise<Waiter[]> {
    const values = (await deleteScript(
      this.redis,
      [this.stateKey(roomId), this.lobbyKey(roomId), this.orderKey(roomId)],
      [],
    )) as string[];
    return parseWaiters(values);
  }

  async addWaiter(roomId: string, waiter: Waiter, max: number): Promise<boolean> {
    const done = await addWaiterScript(
      this.redis,
      [this.lobbyKey(roomId), this.orderKey(roomId), `${this.prefix}lobbyseq`],
      [waiter.id, JSON.stringify(waiter), max],
    );
    return done === 1;
  }

  async takeWaiter(roomId: string, waiterId: string): Promise<Waiter | undefined> {
    const v = (await takeWaiterScript(
      this.redis,
      [this.lobbyKey(roomId), this.orderKey(roomId)],
      [waiterId],
    )) as string | null;
    return v === null ? undefined : (JSON.parse(v) as Waiter);
  }

  async waiters(roomId: string): Promise<Waiter[]> {
    const values = (await waitersScript(
      this.redis,
      [this.lobbyKey(roomId), this.orderKey(roomId)],
      [],
    )) as string[];
    return parseWaiters(values);
  }

  private stateKey(roomId: string): string {
    return `${this.prefix}roomctl:${roomId}`;
  }

  private lobbyKey(roomId: string): string {
    return `${this.prefix}lobby:${roomId}`;
  }

  private orderKey(roomId: string): string {
    return `${this.prefix}lobbyq:${roomId}`;
  }
}

/** cjson writes an empty or null field as `null`/absent: read both as "no password". */
function decodeState(json: string): RoomControlState {
  const s = JSON.parse(json) as RoomControlState & { passwordHash?: string | null };
  return { ...s, passwordHash: s.passwordHash ?? null };
}

function parseWaiters(values: readonly string[]): Waiter[] {
  return values.map((v) => JSON.parse(v) as Waiter);
}
