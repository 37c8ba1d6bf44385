import type { MediaState } from '@parley/protocol';
import type { Redis } from 'ioredis';
import { defineScript } from '../cluster/redis-connection.js';
import type {
  JoinOutcome,
  RoomDirectory,
  RoomLimits,
  RoomMember,
  SeatRef,
} from './room-directory.js';

/*
 * Keys (all under the prefix):
 *   room:<roomId>   hash peerId -> "<seq>\n<media JSON>\n<rest of the member JSON>"
 *   rooms           set of the ids of rooms with at least one seat
 *   seats:<nodeId>  set of JSON [roomId, peerId], the seats held through that node
 *   seq             counter: seats sort by it, so members come in join order
 *   seatcount       seats in all rooms
 *
 * The media state is its own line so `setMedia` can swap it in Lua without re-encoding
 * JSON there (cjson would round numbers and escape differently). A line never contains a
 * newline of its own: JSON.stringify escapes them.
 */

/** Seat a member unless the room is full or it would open one room too many. */
const joinScript = defineScript(`
local size = redis.call('HLEN', KEYS[1])
if size == 0 and redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[5]) then return {'too_many_rooms'} end
if size >= tonumber(ARGV[4]) then return {'full'} end
local peers = redis.call('HVALS', KEYS[1])
local old = redis.call('HGET', KEYS[1], ARGV[2])
local seq
if old then
  seq = string.sub(old, 1, string.find(old, '\\n', 1, true) - 1)
else
  seq = redis.call('INCR', KEYS[4])
  redis.call('INCR', KEYS[5])
end
redis.call('HSET', KEYS[1], ARGV[2], seq .. '\\n' .. ARGV[3])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[6])
table.insert(peers, 1, 'ok')
return peers`);

/** Remove a seat; the room goes with its last seat. Returns the seats left. */
const leaveScript = defineScript(`
local v = redis.call('HGET', KEYS[1], ARGV[2])
if not v then return {'absent'} end
local a = string.find(v, '\\n', 1, true)
local b = string.find(v, '\\n', a + 1, true)
local node = cjson.decode(string.sub(v, b + 1)).nodeId
redis.call('HDEL', KEYS[1], ARGV[2])
redis.call('SREM', ARGV[4] .. 'seats:' .. node, ARGV[3])
redis.call('DECR', KEYS[3])
local rest = redis.call('HVALS', KEYS[1])
if #rest == 0 then redis.call('SREM', KEYS[2], ARGV[1]) end
table.insert(rest, 1, 'ok')
return rest`);

/** Swap a seat's media line; 0 when the seat is gone. */
const setMediaScript = defineScript(`
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return 0 end
local a = string.find(v, '\\n', 1, true)
local b = string.find(v, '\\n', a + 1, true)
redis.call('HSET', KEYS[1], ARGV[1], string.sub(v, 1, a) .. ARGV[2] .. string.sub(v, b))
return 1`);

/** Put a seat back with no limit (it was admitted before Redis lost it). */
const restoreScript = defineScript(`
local old = redis.call('HGET', KEYS[1], ARGV[2])
local seq
if old then
  seq = string.sub(old, 1, string.find(old, '\\n', 1, true) - 1)
else
  seq = redis.call('INCR', KEYS[4])
  redis.call('INCR', KEYS[5])
end
redis.call('HSET', KEYS[1], ARGV[2], seq .. '\\n' .. ARGV[3])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[4])
return 1`);

/**
 * Rooms in Redis, shared by every node. Each change is one Lua script, so the size check
 * and the seat are one atomic step: two nodes never both take a room's last seat.
 */
export class RedisRoomDirectory implements RoomDirectory {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: RoomLimits,
  ) {}

  async join(roomId: string, member: RoomMember): Promise<JoinOutcome> {
    const reply = (await joinScript(
      this.redis,
      [
        this.roomKey(roomId),
        this.prefix + 'rooms',
        this.seatsKey(member.nodeId),
        this.prefix + 'seq',
        this.prefix + 'seatcount',
      ],
      [
        roomId,
        member.peerId,
        encode(member),
        this.limits.maxRoomSize,
        this.limits.maxRooms,
        seatRef(roomId, member.peerId),
      ],
    )) as string[];
    const [status, ...peers] = reply;
    if (status === 'full' || status === 'too_many_rooms') {
      return { ok: false, reason: status };
    }
    return { ok: true, peers: inJoinOrder(peers) };
  }

  async leave(roomId: string, peerId: string): Promise<RoomMember[] | undefined> {
    const reply = (await leaveScript(
      this.redis,
      [this.roomKey(roomId), this.prefix + 'rooms', this.prefix + 'seatcount'],
      [roomId, peerId, seatRef(roomId, peerId), this.prefix],
    )) as string[];
    const [status, ...rest] = reply;
    return status === 'ok' ? inJoinOrder(rest) : undefined;
  }

  async get(roomId: string, peerId: string): Promise<RoomMember | undefined> {
    const value = await this.redis.hget(this.roomKey(roomId), peerId);
    return value === null ? undefined : decode(value).member;
  }

  async members(roomId: string): Promise<RoomMember[]> {
    return inJoinOrder(await this.redis.hvals(this.roomKey(roomId)));
  }

  async setMedia(roomId: string, peerId: string, media: MediaState): Promise<boolean> {
    const done = await setMediaScript(
      this.redis,
      [this.roomKey(roomId)],
      [peerId, JSON.stringify(media)],
    );
    return done === 1;
  }

  async seatsOfNode(nodeId: string): Promise<SeatRef[]> {
    const refs = await this.redis.smembers(this.seatsKey(nodeId));
    return refs.map((ref) => {
      const [roomId, peerId] = JSON.parse(ref) as [string, string];
      return { roomId, peerId };
    });
  }

  async restore(roomId: string, member: RoomMember): Promise<void> {
    await restoreScript(
      this.redis,
      [
        this.roomKey(roomId),
        this.prefix + 'rooms',
        this.seatsKey(member.nodeId),
        this.prefix + 'seq',
        this.prefix + 'seatcount',
      ],
      [roomId, member.peerId, encode(member), seatRef(roomId, member.peerId)],
    );
  }

  roomCount(): Promise<number> {
    return this.redis.scard(this.prefix + 'rooms');
  }

  async seatCount(): Promise<number> {
    return Number((await this.redis.get(this.prefix + 'seatcount')) ?? 0);
  }

  private roomKey(roomId: string): string {
    return `${this.prefix}room:${roomId}`;
  }

  private seatsKey(nodeId: string): string {
    return `${this.prefix}seats:${nodeId}`;
  }
}

/** A seat as its node's set names it (JSON, so any id is safe). */
function seatRef(roomId: string, peerId: string): string {
  return JSON.stringify([roomId, peerId]);
}

/** The stored value without its sequence number (the script prepends that). */
function encode(member: RoomMember): string {
  const { media, ...rest } = member;
  return `${JSON.stringify(media)}\n${JSON.stringify(rest)}`;
}

function decode(value: string): { seq: number; member: RoomMember } {
  const a = value.indexOf('\n');
  const b = value.indexOf('\n', a + 1);
  const media = JSON.parse(value.slice(a + 1, b)) as MediaState;
  const rest = JSON.parse(value.slice(b + 1)) as Omit<RoomMember, 'media'>;
  return { seq: Number(value.slice(0, a)), member: { ...rest, media } };
}

function inJoinOrder(values: readonly string[]): RoomMember[] {
  return values
    .map(decode)
    .sort((x, y) => x.seq - y.seq)
    .map((d) => d.member);
}
