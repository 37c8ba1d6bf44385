import type { RoomAccess } from '@parley/protocol';

/**
 * A room's host and access settings: a plain record, so it lives in the shared state
 * (Redis with several nodes) and every node's join sees the same rules. It exists while
 * the room has a seat: the first join creates it, the last leave deletes it.
 */
export interface RoomControlState {
  /** The current host's peer id. */
  readonly host: string;
  /** SHA-256 of the creator's host key: the creator may take host back while the room lives. */
  readonly creatorKeyHash: string;
  /** SHA-256 of the current host's key (rotates with every change of host). */
  readonly hostKeyHash: string;
  /** The creator's account, when they were signed in: host by account on any later join. */
  readonly creatorUserId: string | null;
  /** `scrypt$<salt>$<hash>`, or null for no password. */
  readonly passwordHash: string | null;
  readonly locked: boolean;
  readonly lobby: boolean;
}

/** Someone in a room's lobby, and where their session is. */
export interface Waiter {
  readonly id: string;
  readonly sessionId: string;
  readonly nodeId: string;
  readonly name: string;
  /** ms since epoch: the host sees the longest waiting first. */
  readonly since: number;
}

export type ControlPatch = Partial<Pick<RoomControlState, 'passwordHash' | 'locked' | 'lobby'>>;

/**
 * Where room controls live, on one node or many. Each method is one atomic step (a Lua
 * script in Redis): two joins of an empty room never both become its creator, and a
 * waiter is admitted or turned away once.
 */
export interface RoomControlDirectory {
  get(roomId: string): Promise<RoomControlState | undefined>;
  /** Create the room's state unless it exists; returns the state that holds now. */
  create(
    roomId: string,
    state: RoomControlState,
  ): Promise<{ created: boolean; state: RoomControlState }>;
  /** Change settings; undefined when the room has no state (it emptied). */
  update(roomId: string, patch: ControlPatch): Promise<RoomControlState | undefined>;
  /**
   * Make `host` the host, with a new key hash, unless the host is no longer `expected`
   * (someone else took over first; null: whoever it is). False when nothing changed.
   */
  setHost(
    roomId: string,
    expected: string | null,
    host: string,
    hostKeyHash: string,
  ): Promise<boolean>;
  /** Drop the room's state and its lobby; returns who was still waiting. */
  delete(roomId: string): Promise<Waiter[]>;
  /** Put someone in the lobby unless it holds `max` already. */
  addWaiter(roomId: string, waiter: Waiter, max: number): Promise<boolean>;
  /** Take a waiter out (admitted, turned away, gone); undefined when they were not there. */
  takeWaiter(roomId: string, waiterId: string): Promise<Waiter | undefined>;
  /** Everyone waiting, longest waiting first. */
  waiters(roomId: string): Promise<Waiter[]>;
}

export function accessOf(state: RoomControlState): RoomAccess {
  return { locked: state.locked, lobby: state.lobby, password: state.passwordHash !== null };
}

/** In-process controls: the embedded default (one node). */
export class InMemoryRoomControls implements RoomControlDirectory {
  private readonly states = new Map<string, RoomControlState>();
  private readonly lobbies = new Map<string, Map<string, Waiter>>();

  get(roomId: string): Promise<RoomControlState | undefined> {
    return Promise.resolve(this.states.get(roomId));
  }

  create(
    roomId: string,
    state: RoomControlState,
  ): Promise<{ created: boolean; state: RoomControlState }> {
    const existing = this.states.get(roomId);
    if (existing) {
      return Promise.resolve({ created: false, state: existing });
    }
    this.states.set(roomId, state);
    return Promise.resolve({ created: true, state });
  }

  update(roomId: string, patch: ControlPatch): Promise<RoomControlState | undefined> {
    const s = this.states.get(roomId);
    if (!s) {
      return Promise.resolve(undefined);
    }
    const next = { ...s, ...patch };
    this.states.set(roomId, next);
    return Promise.resolve(next);
  }

  setHost(
    roomId: string,
    expected: string | null,
    host: string,
    hostKeyHash: string,
  ): Promise<boolean> {
    const s = this.states.get(roomId);
    if (!s || (expected !== null && s.host !== expected)) {
      return Promise.resolve(false);
    }
    this.states.set(roomId, { ...s, host, hostKeyHash });
    return Promise.resolve(true);
  }

  delete(roomId: string): Promise<Waiter[]> {
    this.states.delete(roomId);
    const lobby = this.lobbies.get(roomId);
    this.lobbies.delete(roomId);
    return Promise.resolve(lobby ? [...lobby.values()] : []);
  }

  addWaiter(roomId: string, waiter: Waiter, max: number): Promise<boolean> {
    let lobby = this.lobbies.get(roomId);
    if (!lobby) {
      lobby = new Map();
      this.lobbies.set(roomId, lobby);
    }
    if (lobby.size >= max) {
      return Promise.resolve(false);
    }
    lobby.set(waiter.id, waiter);
    return Promise.resolve(true);
  }

  takeWaiter(roomId: string, waiterId: string): Promise<Waiter | undefined> {
    const lobby = this.lobbies.get(roomId);
    const w = lobby?.get(waiterId);
    if (!lobby || !w) {
      return Promise.resolve(undefined);
    }
    lobby.delete(waiterId);
    if (lobby.size === 0) {
      this.lobbies.delete(roomId);
    }
    return Promise.resolve(w);
  }

  waiters(roomId: string): Promise<Waiter[]> {
    return Promise.resolve([...(this.lobbies.get(roomId)?.values() ?? [])]);
  }
}
