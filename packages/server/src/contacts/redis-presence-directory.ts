import type { Presence } from '@parley/protocol';
import type { Redis } from 'ioredis';
import type { SessionRef } from '../cluster/delivery.js';
import { defineScript } from '../cluster/redis-connection.js';
import type { PresenceDirectory, TabOfNode } from './presence-directory.js';

/*
 * Keys (all under the prefix):
 *   tabs:<userId>   set of "<nodeId>/<sessionId>", the user's signed-in tabs
 *   ntabs:<nodeId>  set of "<userId>/<sessionId>", the tabs on that node (for its reaper)
 *   online          set of the users with at least one tab
 *   incall          set of the users in a call (kept while offline, like the in-process one)
 *
 * Session ids are base64url, so the last "/" always separates them.
 *
 * Each change is one script that computes the presence before and after it, so of two
 * nodes removing a user's last two tabs at once exactly one sees "offline".
 */

/** KEYS: tabs:<user>, incall. ARGV[1]: user id. */
const PRESENCE_LUA = `
local function presence()
  if redis.call('SCARD', KEYS[1]) == 0 then return 'offline' end
  if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 'in_call' end
  return 'online'
end
`;

/** KEYS: tabs:<user>, incall, ntabs:<node>, online. ARGV: user, node/session, user/session. */
const addTabScript = defineScript(`${PRESENCE_LUA}
local before = presence()
redis.call('SADD', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[3])
redis.call('SADD', KEYS[4], ARGV[1])
local after = presence()
if before == after then return nil end
return after`);

const removeTabScript = defineScript(`${PRESENCE_LUA}
local before = presence()
redis.call('SREM', KEYS[1], ARGV[2])
redis.call('SREM', KEYS[3], ARGV[3])
if redis.call('SCARD', KEYS[1]) == 0 then redis.call('SREM', KEYS[4], ARGV[1]) end
local after = presence()
if before == after then return nil end
return after`);

/** KEYS: tabs:<user>, incall. ARGV: user, '1' (in a call) or '0'. */
const setInCallScript = defineScript(`${PRESENCE_LUA}
local before = presence()
if ARGV[2] == '1' then
  redis.call('SADD', KEYS[2], ARGV[1])
else
  redis.call('SREM', KEYS[2], ARGV[1])
end
local after = presence()
if before == after then return nil end
return after`);

/** KEYS: incall, tabs:<user> for each user. ARGV: the user ids. One presence per user. */
const presenceOfManyScript = defineScript(`
local out = {}
for i, user in ipairs(ARGV) do
  if redis.call('SCARD', KEYS[i + 1]) == 0 then
    out[i] = 'offline'
  elseif redis.call('SISMEMBER', KEYS[1], user) == 1 then
    out[i] = 'in_call'
  else
    out[i] = 'online'
  end
end
return out`);

/** Presence in Redis, shared by every node. */
export class RedisPresenceDirectory implements PresenceDirectory {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async addTab(userId: string, tab: SessionRef): Promise<Presence | null> {
    return (await addTabScript(this.redis, this.tabKeys(userId, tab.nodeId), [
      userId,
      `${tab.nodeId}/${tab.sessionId}`,
      `${userId}/${tab.sessionId}`,
    ])) as Presence | null;
  }

  async removeTab(userId: string, tab: SessionRef): Promise<Presence | null> {
    return (await removeTabScript(this.redis, this.tabKeys(userId, tab.nodeId), [
      userId,
      `${tab.nodeId}/${tab.sessionId}`,
      `${userId}/${tab.sessionId}`,
    ])) as Presence | null;
  }

  async setInCall(userId: string, inCall: boolean): Promise<Presence | null> {
    return (await setInCallScript(
      this.redis,
      [this.key('tabs', userId), this.key('incall')],
      [userId, inCall ? '1' : '0'],
    )) as Presence | null;
  }

  async presenceOf(userId: string): Promise<Presence> {
    const [presence] = await this.many([userId]);
    return presence ?? 'offline';
  }

  async presenceOfMany(userIds: readonly string[]): Promise<Map<string, Presence>> {
    const unique = [...new Set(userIds)];
    const presences = await this.many(unique);
    return new Map(unique.map((id, i) => [id, presences[i] ?? 'offline']));
  }

  async tabsOf(userId: string): Promise<SessionRef[]> {
    const tabs = await this.redis.smembers(this.key('tabs', userId));
    return tabs.map((t) => {
      const [nodeId, sessionId] = splitLast(t);
      return { nodeId, sessionId };
    });
  }

  async tabsOfNode(nodeId: string): Promise<TabOfNode[]> {
    const tabs = await this.redis.smembers(this.key('ntabs', nodeId));
    return tabs.map((t) => {
      const [userId, sessionId] = splitLast(t);
      return { userId, sessionId };
    });
  }

  onlineCount(): Promise<number> {
    return this.redis.scard(this.key('online'));
  }

  private async many(userIds: readonly string[]): Promise<Presence[]> {
    if (userIds.length === 0) {
      return [];
    }
    return (await presenceOfManyScript(
      this.redis,
      [this.key('incall'), ...userIds.map((id) => this.key('tabs', id))],
      userIds,
    )) as Presence[];
  }

  private tabKeys(userId: string, nodeId: string): string[] {
    return [
      this.key('tabs', userId),
      this.key('incall'),
      this.key('ntabs', nodeId),
      this.key('online'),
    ];
  }

  private key(kind: string, id?: string): string {
    return id === undefined ? `${this.prefix}${kind}` : `${this.prefix}${kind}:${id}`;
  }
}

function splitLast(value: string): [string, string] {
  const at = value.lastIndexOf('/');
  return [value.slice(0, at), value.slice(at + 1)];
}
