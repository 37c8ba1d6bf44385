import type { MediaState, PeerInfo } from '@parley/protocol';
import type { Session } from '../signaling/session.js';

/** One seat in a room. */
export interface Member {
  readonly peerId: string;
  readonly name: string;
  media: MediaState;
  readonly session: Session;
  readonly joinedAt: number;
}

export type JoinOutcome =
  { ok: true; peers: Member[] } | { ok: false; reason: 'full' | 'too_many_rooms' };

/**
 * Where rooms live. The embedded default keeps them in this process; a shared
 * implementation (e.g. Redis-backed) lets several server nodes serve one room.
 */
export interface RoomRegistry {
  /** Seat `member` in `roomId`; returns the members that were already there, in join order. */
  join(roomId: string, member: Member): JoinOutcome;
  /** Remove a seat; returns the remaining members (empty rooms are forgotten). */
  leave(roomId: string, peerId: string): Member[] | undefined;
  /** The member with this peer id in this room. */
  get(roomId: string, peerId: string): Member | undefined;
  /** All members, in join order. */
  members(roomId: string): Member[];
  readonly roomCount: number;
}

export function toPeerInfo(m: Member): PeerInfo {
  return { id: m.peerId, name: m.name, media: m.media };
}

/** In-process rooms: a Map of Maps (insertion order is join order). */
export class InMemoryRoomRegistry implements RoomRegistry {
  private readonly rooms = new Map<string, Map<string, Member>>();

  constructor(private readonly limits: { maxRoomSize: number; maxRooms: number }) {}

  join(roomId: string, member: Member): JoinOutcome {
    let room = this.rooms.get(roomId);
    if (!room) {
      if (this.rooms.size >= this.limits.maxRooms) {
        return { ok: false, reason: 'too_many_rooms' };
      }
      room = new Map();
      this.rooms.set(roomId, room);
    }
    if (room.size >= this.limits.maxRoomSize) {
      return { ok: false, reason: 'full' };
    }
    const peers = [...room.values()];
    room.set(member.peerId, member);
    return { ok: true, peers };
  }

  leave(roomId: string, peerId: string): Member[] | undefined {
    const room = this.rooms.get(roomId);
    if (!room || !room.delete(peerId)) {
      return undefined;
    }
    if (room.size === 0) {
      this.rooms.delete(roomId);
    }
    return [...room.values()];
  }

  get(roomId: string, peerId: string): Member | undefined {
    return this.rooms.get(roomId)?.get(peerId);
  }

  members(roomId: string): Member[] {
    const room = this.rooms.get(roomId);
    return room ? [...room.values()] : [];
  }

  get roomCount(): number {
    return this.rooms.size;
  }
}
