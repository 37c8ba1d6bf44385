import {
  isPrivateRoomId,
  type ClientMessageMap,
  type RoomAccess,
  type ServerMessage,
} from '@parley/protocol';
import type { Gateway } from '../signaling/gateway.js';
import { ProtocolError, unavailable } from '../signaling/protocol-error.js';
import type { Session } from '../signaling/session.js';
import { accountOf } from '../signaling/session-account.js';
import { randomId } from '../signaling/ids.js';
import { topics, type Bus, type BusHandler } from '../cluster/bus.js';
import type { Delivery } from '../cluster/delivery.js';
import type { RoomDirectory, RoomMember } from './room-directory.js';
import {
  accessOf,
  type RoomControlDirectory,
  type RoomControlState,
  type Waiter,
} from './room-controls.js';
import { hashHostKey, hashRoomPassword, verifyRoomPassword } from './room-password.js';
import type { Seat } from './room-handlers.js';

type JoinMessage = ClientMessageMap['join'];

/** What `joined` says about hosting. */
export interface HostFields {
  host?: string;
  hostKey?: string;
  access?: RoomAccess;
}

/** The gate's answer to a join: wait in the lobby, or take a seat. */
export type HostEntry =
  | { kind: 'wait' }
  | {
      kind: 'enter';
      /** This join created the room's controls (they go again if the seat fails). */
      created: boolean;
      /** Called once the seat is taken, before `joined` goes out. */
      seated(peerId: string): Promise<HostFields>;
      /** Called after `joined` and `peer-joined` went out. */
      announce?(): void;
    };

export interface HostControlOptions {
  /** People one room's lobby may hold (`--lobby-max`). */
  lobbyMax: number;
  /**
   * Password tries counted per room and client address (the cluster's shared attempt
   * windows: `take` is false past the limit, `reset` after the right one).
   */
  passwordAttempts: { take(key: string): Promise<boolean>; reset(key: string): Promise<void> };
  log: { error(obj: object, msg: string): void };
}

/** What the rooms feature lends host controls: seats, and the seat-taking half of a join. */
export interface SeatOps {
  seatOf(session: Session): Seat | undefined;
  /** Take a seat for a join the gate let through (an admitted waiter, on their node). */
  takeSeat(session: Session, msg: JoinMessage, entry: HostEntry): Promise<void>;
  /** Give a local session's seat up, not by its choice (removed, ended). */
  evict(session: Session, reason: 'removed' | 'ended'): Promise<void>;
}

const LOBBY = 'room.lobby';
const EVENT = 'room-control';

/** Where a waiting join is held on its node until the host answers. */
interface Pending {
  roomId: string;
  waiterId: string;
  msg: JoinMessage;
}

/** Host decisions cross nodes as events on the node topic of the session they concern. */
type ControlEvent =
  | { op: 'evict'; roomId: string; sessions: string[]; reason: 'removed' | 'ended' }
  | { op: 'answer'; roomId: string; session: string; admit: boolean }
  | { op: 'lobby-closed'; roomId: string; sessions: string[] };

/**
 * Room access control and host controls (#13 part 6). The first join of a room creates
 * its controls and makes that person host; every later join passes `gate`: a host key or
 * the creator's account makes you host again, otherwise the room's lock, password and
 * lobby apply in that order. The controls live in the shared state, so every node
 * applies the same rules; what a host decides about a session on another node travels
 * to that node as a bus event, and that node acts on its own socket.
 */
export class HostControls {
  private readonly onEvent: BusHandler = (m) => {
    if (m.kind === 'event' && m.name === EVENT) {
      this.apply(m.data as ControlEvent).catch((err: unknown) =>
        this.options.log.error({ err }, 'room control event failed'),
      );
    }
  };

  constructor(
    gateway: Gateway,
    private readonly nodeId: string,
    private readonly rooms: RoomDirectory,
    private readonly controls: RoomControlDirectory,
    private readonly delivery: Delivery,
    private readonly bus: Bus,
    private readonly seats: SeatOps,
    private readonly options: HostControlOptions,
  ) {
    this.bus
      .subscribe(topics.node(nodeId), this.onEvent)
      .catch((err: unknown) => options.log.error({ err }, 'room controls: no node topic'));
    this.registerHandlers(gateway);
    gateway.addHooks({
      sessionEnded: (session) => {
        this.leaveLobby(session).catch((err: unknown) =>
          options.log.error({ err, session: session.id }, 'could not leave the lobby'),
        );
      },
    });
  }

  close(): void {
    this.bus.unsubscribe(topics.node(this.nodeId), this.onEvent);
  }

  /** True while the session waits in a lobby (a second join is refused). */
  isWaiting(session: Session): boolean {
    return session.attachments.has(LOBBY);
  }

  /** Decide a join: throws the refusal, or says whether to wait or take a seat. */
  async gate(session: Session, msg: JoinMessage): Promise<HostEntry> {
    if (isPrivateRoomId(msg.room)) {
      // A meet or board pair room: its access is the grant; it has no host.
      return { kind: 'enter', created: false, seated: () => Promise.resolve({}) };
    }
    const userId = accountOf(session)?.user.id ?? null;
    let state = await this.controls.get(msg.room);
    if (!state) {
      const key = randomId(18);
      const keyHash = hashHostKey(key);
      const made = await this.controls.create(msg.room, {
        host: '',
        creatorKeyHash: keyHash,
        hostKeyHash: keyHash,
        creatorUserId: userId,
        passwordHash: null,
        locked: false,
        lobby: false,
      });
      if (made.created) {
        return {
          kind: 'enter',
          created: true,
          seated: async (peerId) => {
            await this.controls.setHost(msg.room, null, peerId, keyHash);
            return { host: peerId, hostKey: key, access: accessOf(made.state) };
          },
        };
      }
      state = made.state;
    }
    if (this.isHostCredential(state, msg.hostKey, userId)) {
      return this.reclaim(msg.room, session);
    }
    if (state.locked) {
      throw new ProtocolError('room_locked', 'the host has locked this room: nobody new may join');
    }
    if (state.passwordHash !== null) {
      await this.checkPassword(msg, state.passwordHash, session.address);
    }
    if (state.lobby) {
      await this.wait(session, msg);
      return { kind: 'wait' };
    }
    return this.enter(msg.room);
  }

  /** A seat went (left, timed out, removed, its node died): hand host over, or drop the room's controls with its last seat. */
  async seatReleased(
    roomId: string,
    peerId: string,
    remaining: readonly RoomMember[] | undefined,
  ): Promise<void> {
    if (remaining === undefined || isPrivateRoomId(roomId)) {
      return;
    }
    if (remaining.length === 0) {
      const waiting = await this.controls.delete(roomId);
      this.closeLobby(roomId, waiting);
      return;
    }
    const state = await this.controls.get(roomId);
    if (!state || state.host !== peerId) {
      return;
    }
    // Join order is presence order: the longest-present participant is first.
    const next = remaining[0] as RoomMember;
    const key = randomId(18);
    if (await this.controls.setHost(roomId, peerId, next.peerId, hashHostKey(key))) {
      this.announceHost(roomId, next, key);
      await this.sendLobby(roomId);
    }
  }

  /** The seat a created room's first join meant to take was refused: forget the room. */
  async abandon(roomId: string): Promise<void> {
    if ((await this.rooms.members(roomId)).length === 0) {
      this.closeLobby(roomId, await this.controls.delete(roomId));
    }
  }

  /** `leave` while in the lobby: out of it. Returns the room, or undefined when not waiting. */
  async leaveLobby(session: Session): Promise<string | undefined> {
    const pending = session.attachments.get(LOBBY) as Pending | undefined;
    if (!pending) {
      return undefined;
    }
    session.attachments.delete(LOBBY);
    if (await this.controls.takeWaiter(pending.roomId, pending.waiterId)) {
      await this.sendLobby(pending.roomId);
    }
    return pending.roomId;
  }

  private isHostCredential(
    state: RoomControlState,
    hostKey: string | undefined,
    userId: string | null,
  ): boolean {
    if (userId !== null && state.creatorUserId === userId) {
      return true;
    }
    if (hostKey === undefined) {
      return false;
    }
    const h = hashHostKey(hostKey);
    return h === state.hostKeyHash || h === state.creatorKeyHash;
  }

  /** The creator (or the last host) comes back: host again, the others are told. */
  private reclaim(roomId: string, session: Session): HostEntry {
    const key = randomId(18);
    let self = '';
    return {
      kind: 'enter',
      created: false,
      seated: async (peerId) => {
        self = peerId;
        await this.controls.setHost(roomId, null, peerId, hashHostKey(key));
        const state = await this.controls.get(roomId);
        return { host: peerId, hostKey: key, ...(state ? { access: accessOf(state) } : {}) };
      },
      announce: () => {
        this.delivery.toRoom(
          roomId,
          JSON.stringify({ type: 'host-changed', host: self }),
          session.id,
        );
        void this.sendLobby(roomId);
      },
    };
  }

  private enter(roomId: string): HostEntry {
    return {
      kind: 'enter',
      created: false,
      seated: async () => {
        const state = await this.controls.get(roomId);
        if (!state) {
          return {};
        }
        // A creator's first seat may not be recorded yet: no host to name for a moment.
        return { ...(state.host ? { host: state.host } : {}), access: accessOf(state) };
      },
    };
  }

  private async checkPassword(msg: JoinMessage, hash: string, address: string): Promise<void> {
    if (msg.password === undefined) {
      throw new ProtocolError('password_required', 'this room needs a password');
    }
    const key = `${msg.room}\n${address}`;
    if (!(await this.options.passwordAttempts.take(key))) {
      throw new ProtocolError(
        'rate_limited',
        'too many wrong passwords for this room from your network: wait, then try again',
      );
    }
    if (!(await verifyRoomPassword(msg.password, hash))) {
      throw new ProtocolError('wrong_password', 'that is not the password of this room');
    }
    await this.options.passwordAttempts.reset(key);
  }

  private async wait(session: Session, msg: JoinMessage): Promise<void> {
    const waiter: Waiter = {
      id: randomId(9),
      sessionId: session.id,
      nodeId: this.nodeId,
      name: msg.name,
      since: Date.now(),
    };
    if (!(await this.controls.addWaiter(msg.room, waiter, this.options.lobbyMax))) {
      throw new ProtocolError(
        'lobby_full',
        `this room's lobby is full (${this.options.lobbyMax} people at most)`,
      );
    }
    session.attachments.set(LOBBY, {
      roomId: msg.room,
      waiterId: waiter.id,
      msg,
    } satisfies Pending);
    session.send({
      type: 'lobby-waiting',
      room: msg.room,
      ...(msg.rid === undefined ? {} : { rid: msg.rid }),
    });
    await this.sendLobby(msg.room);
  }

  /** The lobby as it is now, to the host (with `rid`: the answer to their request). */
  private async sendLobby(roomId: string, rid?: string): Promise<void> {
    const state = await this.controls.get(roomId);
    const host = state && (await this.rooms.get(roomId, state.host));
    if (!host) {
      return;
    }
    const waiters = (await this.controls.waiters(roomId)).map((w) => ({ id: w.id, name: w.name }));
    this.delivery.toSession(
      host,
      JSON.stringify({ type: 'lobby', waiters, ...(rid === undefined ? {} : { rid }) }),
    );
  }

  private announceHost(roomId: string, host: RoomMember, key: string): void {
    this.delivery.toRoom(
      roomId,
      JSON.stringify({ type: 'host-changed', host: host.peerId }),
      host.sessionId,
    );
    this.delivery.toSession(
      host,
      JSON.stringify({ type: 'host-changed', host: host.peerId, hostKey: key }),
    );
  }

  private closeLobby(roomId: string, waiting: readonly Waiter[]): void {
    for (const [nodeId, sessions] of byNode(waiting)) {
      this.publish(nodeId, { op: 'lobby-closed', roomId, sessions });
    }
  }

  private publish(nodeId: string, event: ControlEvent): void {
    this.bus.publish(topics.node(nodeId), { kind: 'event', name: EVENT, data: event });
  }

  /** A host decision reached the node of the session it concerns. */
  private async apply(event: ControlEvent): Promise<void> {
    switch (event.op) {
      case 'evict':
        for (const id of event.sessions) {
          const session = this.delivery.local(id);
          if (session && this.seats.seatOf(session)?.roomId === event.roomId) {
            await this.seats.evict(session, event.reason);
          }
        }
        break;
      case 'lobby-closed':
        for (const id of event.sessions) {
          const session = this.delivery.local(id);
          if (session && this.pendingOf(session)?.roomId === event.roomId) {
            session.attachments.delete(LOBBY);
            this.send(session, { type: 'room-closed', room: event.roomId, reason: 'ended' });
          }
        }
        break;
      case 'answer': {
        const session = this.delivery.local(event.session);
        const pending = session && this.pendingOf(session);
        if (!session || pending?.roomId !== event.roomId) {
          return;
        }
        session.attachments.delete(LOBBY);
        const rid = pending.msg.rid === undefined ? {} : { rid: pending.msg.rid };
        if (!event.admit) {
          session.sendError('lobby_denied', 'the host did not let you in', { ...rid, of: 'join' });
          return;
        }
        try {
          await this.seats.takeSeat(session, pending.msg, this.enter(event.roomId));
        } catch (err) {
          const e = unavailable(err) as ProtocolError;
          session.sendError(e.code, e.message, { ...rid, of: 'join' });
        }
        break;
      }
    }
  }

  private pendingOf(session: Session): Pending | undefined {
    return session.attachments.get(LOBBY) as Pending | undefined;
  }

  private send(session: Session, message: ServerMessage): void {
    session.send(message);
  }

  /** The host's seat and the room's controls; anyone else gets `not_host`. */
  private async requireHost(session: Session): Promise<{ seat: Seat; state: RoomControlState }> {
    const seat = this.seats.seatOf(session);
    if (!seat) {
      throw new ProtocolError('not_joined', 'join a room first');
    }
    let state;
    try {
      state = await this.controls.get(seat.roomId);
    } catch (err) {
      throw unavailable(err);
    }
    if (!state || state.host !== seat.peerId) {
      throw new ProtocolError('not_host', 'only the host of this room may do that');
    }
    return { seat, state };
  }

  /** A peer of the host's room other than the host. */
  private async target(seat: Seat, peerId: string): Promise<RoomMember> {
    const member = peerId === seat.peerId ? undefined : await this.rooms.get(seat.roomId, peerId);
    if (!member) {
      throw new ProtocolError(
        'unknown_peer',
        `no other peer "${peerId.slice(0, 64)}" in this room`,
      );
    }
    return member;
  }

  private registerHandlers(gateway: Gateway): void {
    gateway.handle('room-settings', async (session, msg) => {
      const { seat } = await this.requireHost(session);
      const patch = {
        ...(msg.locked === undefined ? {} : { locked: msg.locked }),
        ...(msg.lobby === undefined ? {} : { lobby: msg.lobby }),
        ...(msg.password === undefined
          ? {}
          : { passwordHash: msg.password === null ? null : await hashRoomPassword(msg.password) }),
      };
      const next = await this.controls.update(seat.roomId, patch).catch((err: unknown) => {
        throw unavailable(err);
      });
      if (!next) {
        throw new ProtocolError('not_host', 'only the host of this room may do that');
      }
      const access = accessOf(next);
      this.delivery.toRoom(
        seat.roomId,
        JSON.stringify({ type: 'room-access', access }),
        session.id,
      );
      session.send({
        type: 'room-access',
        access,
        ...(msg.rid === undefined ? {} : { rid: msg.rid }),
      });
      if (msg.lobby === false) {
        // Turning the lobby off lets everyone waiting in, as Jitsi does.
        for (const w of await this.controls.waiters(seat.roomId)) {
          if (await this.controls.takeWaiter(seat.roomId, w.id)) {
            this.publish(w.nodeId, {
              op: 'answer',
              roomId: seat.roomId,
              session: w.sessionId,
              admit: true,
            });
          }
        }
      }
    });

    gateway.handle('lobby-answer', async (session, msg) => {
      const { seat } = await this.requireHost(session);
      const w = await this.controls.takeWaiter(seat.roomId, msg.waiter);
      if (!w) {
        throw new ProtocolError('unknown_waiter', 'nobody with that id waits in this lobby');
      }
      this.publish(w.nodeId, {
        op: 'answer',
        roomId: seat.roomId,
        session: w.sessionId,
        admit: msg.admit,
      });
      await this.sendLobby(seat.roomId, msg.rid);
    });

    gateway.handle('mute-request', async (session, msg) => {
      const { seat } = await this.requireHost(session);
      const member = await this.target(seat, msg.peer);
      this.delivery.toSession(member, JSON.stringify({ type: 'mute-requested', by: seat.peerId }));
    });

    gateway.handle('remove-peer', async (session, msg) => {
      const { seat } = await this.requireHost(session);
      const member = await this.target(seat, msg.peer);
      this.publish(member.nodeId, {
        op: 'evict',
        roomId: seat.roomId,
        sessions: [member.sessionId],
        reason: 'removed',
      });
    });

    gateway.handle('end-room', async (session) => {
      const { seat } = await this.requireHost(session);
      // Locked first, so that nobody slips in while the seats are being released.
      await this.controls.update(seat.roomId, { locked: true, lobby: false });
      const members = await this.rooms.members(seat.roomId);
      for (const [nodeId, sessions] of byNode(members)) {
        this.publish(nodeId, { op: 'evict', roomId: seat.roomId, sessions, reason: 'ended' });
      }
      for (const w of await this.controls.waiters(seat.roomId)) {
        if (await this.controls.takeWaiter(seat.roomId, w.id)) {
          this.publish(w.nodeId, {
            op: 'lobby-closed',
            roomId: seat.roomId,
            sessions: [w.sessionId],
          });
        }
      }
    });
  }
}

function byNode(refs: readonly { nodeId: string; sessionId: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of refs) {
    const list = out.get(r.nodeId);
    if (list) {
      list.push(r.sessionId);
    } else {
      out.set(r.nodeId, [r.sessionId]);
    }
  }
  return out;
}
