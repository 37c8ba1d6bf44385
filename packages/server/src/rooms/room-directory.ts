import type { MediaState, PeerInfo } from '@parley/protocol';

/** One seat in a room: a plain record, so it can live in Redis and cross nodes. */
export interface RoomMember {
  readonly peerId: string;
  /** The gateway session holding the seat, and the node it is on. */
  readonly sessionId: string;
  readonly nodeId: string;
  readonly name: string;
  readonly media: MediaState;
  readonly joinedAt: number;
}

export interface RoomLimits {
  maxRoomSize: number;
  maxRooms: number;
}

export type JoinOutcome =
  { ok: true; peers: RoomMember[] } | { ok: false; reason: 'full' | 'too_many_rooms' };

/** A seat, as a node's reaper finds it. */
export interface SeatRef {
  roomId: string;
  peerId: string;
}

/**
 * Where rooms live. The size check and the seat are one atomic step (a Lua script in
 * Redis), so two nodes can never both take the last seat.
 */
export interface RoomDirectory {
  /** Seat `member`; returns the members that were already there, in join order. */
  join(roomId: string, member: RoomMember): Promise<JoinOutcome>;
  /** Remove a seat; returns the remaining members, or undefined when it was not there. */
  leave(roomId: string, peerId: string): Promise<RoomMember[] | undefined>;
  get(roomId: string, peerId: string): Promise<RoomMember | undefined>;
  /** All members, in join order. */
  members(roomId: string): Promise<RoomMember[]>;
  /** Change a seat's media state; false when the seat is gone. */
  setMedia(roomId: string, peerId: string, media: MediaState): Promise<boolean>;
  /** Every seat held through a node (its reaper releases them when it dies). */
  seatsOfNode(nodeId: string): Promise<SeatRef[]>;
  /** Put a seat back after the shared state was lost; no limit applies (it was admitted). */
  restore(roomId: string, member: RoomMember): Promise<void>;
  roomCount(): Promise<number>;
  /** Seats in all rooms. */
  seatCount(): Promise<number>;
}

export function toPeerInfo(m: RoomMember): PeerInfo {
  return { id: m.peerId, name: m.name, media: m.media };
}

/** In-process rooms: a Map of Maps (insertion order is join order). */
export class InMemoryRoomDirectory implements RoomDirectory {
  private readonly rooms = new Map<string, Map<string, RoomMember>>();
  private seats = 0;

  constructor(private readonly limits: RoomLimits) {}

  join(roomId: string, member: RoomMember): Promise<JoinOutcome> {
    let room = this.rooms.get(roomId);
    if (!room) {
      if (this.rooms.size >= this.limits.maxRooms) {
        return Promise.resolve({ ok: false, reason: 'too_many_rooms' });
      }
      room = new Map();
      this.rooms.set(roomId, room);
    }
    if (room.size >= this.limits.maxRoomSize) {
      return Promise.resolve({ ok: false, reason: 'full' });
    }
    const peers = [...room.values()];
    room.set(member.peerId, member);
    this.seats++;
    return Promise.resolve({ ok: true, peers });
  }

  leave(roomId: string, peerId: string): Promise<RoomMember[] | undefined> {
    const room = this.rooms.get(roomId);
    if (!room || !room.delete(peerId)) {
      return Promise.resolve(undefined);
    }
    this.seats--;
    if (room.size === 0) {
      this.rooms.delete(roomId);
    }
    return Promise.resolve([...room.values()]);
  }

  get(roomId: string, peerId: string): Promise<RoomMember | undefined> {
    return Promise.resolve(this.rooms.get(roomId)?.get(peerId));
  }

  members(roomId: string): Promise<RoomMember[]> {
    const room = this.rooms.get(roomId);
    return Promise.resolve(room ? [...room.values()] : []);
  }

  setMedia(roomId: string, peerId: string, media: MediaState): Promise<boolean> {
    const room = this.rooms.get(roomId);
    const m = room?.get(peerId);
    if (!room || !m) {
      return Promise.resolve(false);
    }
    room.set(peerId, { ...m, media });
    return Promise.resolve(true);
  }

  seatsOfNode(nodeId: string): Promise<SeatRef[]> {
    const out: SeatRef[] = [];
    for (const [roomId, room] of this.rooms) {
      for (const m of room.values()) {
        if (m.nodeId === nodeId) {
          out.push({ roomId, peerId: m.peerId });
        }
      }
    }
    return Promise.resolve(out);
  }

  restore(roomId: string, member: RoomMember): Promise<void> {
    let room = this.rooms.get(roomId);
    if (!room) {
      room = new Map();
      this.rooms.set(roomId, room);
    }
    if (!room.has(member.peerId)) {
      this.seats++;
    }
    room.set(member.peerId, member);
    return Promise.resolve();
  }

  roomCount(): Promise<number> {
    return Promise.resolve(this.rooms.size);
  }

  seatCount(): Promise<number> {
    return Promise.resolve(this.seats);
  }
}
