import type { RoomDirectory, RoomMember } from './room-directory.js';
import { unavailable } from '../signaling/protocol-error.js';

/**
 * Seats looked up recently, for the signal relay's hot path: with Redis, each relayed
 * signal would otherwise cost a round trip to find its target. Being a little stale is
 * safe: a peer id names one seat in one room for its whole life (a rejoin gets a new
 * one), so an entry can only name a peer that has since left, whose frame then reaches
 * nobody; it never points into another room. Bounded in age and in size.
 */
export class SeatCache {
  private readonly entries = new Map<string, { member: RoomMember; at: number }>();

  constructor(
    private readonly maxAgeMs = 5000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(roomId: string, peerId: string): RoomMember | undefined {
    const key = `${roomId}\n${peerId}`;
    const hit = this.entries.get(key);
    if (!hit) {
      return undefined;
    }
    if (this.now() - hit.at > this.maxAgeMs) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.member;
  }

  set(roomId: string, member: RoomMember): void {
    if (this.entries.size >= this.maxEntries) {
      // Map order is insertion order: the first entry is the oldest.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) {
        this.entries.delete(oldest);
      }
    }
    this.entries.set(`${roomId}\n${member.peerId}`, { member, at: this.now() });
  }

  forget(roomId: string, peerId: string): void {
    this.entries.delete(`${roomId}\n${peerId}`);
  }
}

/**
 * Find a peer's seat in a room, from the cache when it can (then `use` runs at once and
 * nothing is returned), else from the directory (a promise; a directory failure is
 * `unavailable`). `use` gets undefined for a peer not in the room.
 */
export function withSeat(
  seats: SeatCache,
  rooms: RoomDirectory,
  roomId: string,
  peerId: string,
  use: (member: RoomMember | undefined) => void,
): void | Promise<void> {
  const cached = seats.get(roomId, peerId);
  if (cached) {
    use(cached);
    return undefined;
  }
  return rooms.get(roomId, peerId).then(
    (member) => {
      if (member) {
        seats.set(roomId, member);
      }
      use(member);
    },
    (err: unknown) => {
      throw unavailable(err);
    },
  );
}
