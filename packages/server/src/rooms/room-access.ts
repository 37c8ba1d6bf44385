import { isPrivateRoomId } from '@parley/protocol';

/**
 * Who may join a room. Every `join` asks the policy before it takes a seat. The default
 * lets anyone into any room by name, except the reserved private form
 * (`PRIVATE_ROOM_PREFIX`), which only sessions granted that room may join: the two
 * people a meet match or an answered board post paired. Host controls (a later issue)
 * plug in here too.
 */
export interface RoomAccessPolicy {
  /** Resolves to a refusal's reason, or null to let the session in. */
  check(roomId: string, sessionId: string): Promise<'private' | null>;
}

/**
 * Which sessions may join which private rooms, on one node or many. A grant expires
 * after its TTL (a pair's room is not reusable forever); a session id survives a resume,
 * so a reconnecting tab can join again within it.
 */
export interface RoomGrants {
  grant(roomId: string, sessionIds: readonly string[], ttlMs: number): Promise<void>;
  allows(roomId: string, sessionId: string): Promise<boolean>;
}

export class InMemoryRoomGrants implements RoomGrants {
  private readonly grants = new Map<string, { sessions: Set<string>; until: number }>();

  grant(roomId: string, sessionIds: readonly string[], ttlMs: number): Promise<void> {
    this.sweep();
    this.grants.set(roomId, { sessions: new Set(sessionIds), until: Date.now() + ttlMs });
    return Promise.resolve();
  }

  allows(roomId: string, sessionId: string): Promise<boolean> {
    const g = this.grants.get(roomId);
    return Promise.resolve(g !== undefined && g.until > Date.now() && g.sessions.has(sessionId));
  }

  /** Expired grants go when new ones are made, so the map stays as large as the live ones. */
  private sweep(): void {
    const now = Date.now();
    for (const [room, g] of this.grants) {
      if (g.until <= now) {
        this.grants.delete(room);
      }
    }
  }
}

/** The default policy: open rooms by name, private ones by grant. */
export function privateRoomPolicy(grants: RoomGrants): RoomAccessPolicy {
  return {
    async check(roomId, sessionId) {
      if (!isPrivateRoomId(roomId)) {
        return null;
      }
      return (await grants.allows(roomId, sessionId)) ? null : 'private';
    },
  };
}
