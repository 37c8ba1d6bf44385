/** How a room's media flows: peer to peer, or through the SFU. */
export type MediaMode = 'mesh' | 'sfu';

/** A Parley room's videoroom in Janus, and what it takes to use it (server-side only). */
export interface SfuRoomRecord {
  /** The videoroom id in Janus (a string with --sfu-string-ids, else digits). */
  readonly janusRoom: string;
  /** Needed to destroy the videoroom. */
  readonly secret: string;
  /** Needed to join it as a publisher or a subscriber. */
  readonly pin: string;
}

/**
 * Each room's media mode and its Janus videoroom, where every node finds them (like the
 * room directory: in-process, or Redis). Janus is shared by the nodes, so whichever node
 * creates the videoroom, the others use the same one with the same PIN.
 */
export interface SfuRoomDirectory {
  /** The room's mode; `mesh` for a room the directory does not know. */
  mode(roomId: string): Promise<MediaMode>;
  /** Compare-and-set: true for the one caller that moved the room from `from` to `to`. */
  switchMode(roomId: string, from: MediaMode, to: MediaMode): Promise<boolean>;
  /** The room's videoroom record; `fresh` is stored when there is none yet. */
  videoroom(roomId: string, fresh: SfuRoomRecord): Promise<SfuRoomRecord>;
  /** Forget the room (its last seat left); returns its videoroom record, if it had one. */
  remove(roomId: string): Promise<SfuRoomRecord | undefined>;
}

interface Entry {
  mode: MediaMode;
  record?: SfuRoomRecord;
}

/** In-process: a Map. */
export class InMemorySfuRoomDirectory implements SfuRoomDirectory {
  private readonly rooms = new Map<string, Entry>();

  mode(roomId: string): Promise<MediaMode> {
    return Promise.resolve(this.rooms.get(roomId)?.mode ?? 'mesh');
  }

  switchMode(roomId: string, from: MediaMode, to: MediaMode): Promise<boolean> {
    const entry = this.rooms.get(roomId) ?? { mode: 'mesh' };
    if (entry.mode !== from) {
      return Promise.resolve(false);
    }
    this.rooms.set(roomId, { ...entry, mode: to });
    return Promise.resolve(true);
  }

  videoroom(roomId: string, fresh: SfuRoomRecord): Promise<SfuRoomRecord> {
    const entry = this.rooms.get(roomId) ?? { mode: 'mesh' };
    const record = entry.record ?? fresh;
    this.rooms.set(roomId, { ...entry, record });
    return Promise.resolve(record);
  }

  remove(roomId: string): Promise<SfuRoomRecord | undefined> {
    const record = this.rooms.get(roomId)?.record;
    this.rooms.delete(roomId);
    return Promise.resolve(record);
  }
}
