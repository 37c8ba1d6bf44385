import type { ClientMessageMap, RoomDataLimits } from '@parley/protocol';
import type { Gateway } from '../signaling/gateway.js';
import { ProtocolError, unavailable } from '../signaling/protocol-error.js';
import type { Session } from '../signaling/session.js';
import { randomId } from '../signaling/ids.js';
import type { IceGrant, IceServerProvider } from '../ice/ice-servers.js';
import type { Delivery } from '../cluster/delivery.js';
import type { NodeScoped } from '../cluster/cluster.js';
import { toPeerInfo, type RoomDirectory, type RoomMember } from './room-directory.js';
import { SeatCache, withSeat } from './seat-cache.js';
import { registerRoomData } from './room-data.js';
import type { RoomAccessPolicy } from './room-access.js';
import type { RoomControlDirectory } from './room-controls.js';
import { HostControls, type HostControlOptions, type HostEntry } from './host-controls.js';
import type { Bus } from '../cluster/bus.js';

/** What a session keeps about its room seat (under `attachments`). */
export interface Seat {
  readonly roomId: string;
  readonly peerId: string;
  /** This node's copy of the seat, written back to the directory if Redis loses it. */
  member: RoomMember;
}
const SEAT = 'room.seat';
type LeaveReason = 'left' | 'timeout' | 'removed';
type JoinMessage = ClientMessageMap['join'];
/** Set while a join is in flight, so a second join cannot overtake it. */
const JOINING = 'room.joining';

export function seatOf(session: Session): Seat | undefined {
  return session.attachments.get(SEAT) as Seat | undefined;
}

export interface RoomOptions {
  maxRoomSize: number;
  /** `relay` tells clients to send media through TURN only. */
  iceTransportPolicy?: string;
  /** Sent in `joined`: what each participant should upload in total. */
  uplinkBudgetKbps?: number;
  /** Runs after `joined` went out (e.g. chat pushes the room's history). */
  afterJoin?: (session: Session, roomId: string) => void;
  /** Runs after a session gave its seat up with `leave` (not when its session ended). */
  afterLeave?: (session: Session, roomId: string) => void;
  /** Asked before every join (private pair rooms); without it, every room is open. */
  access?: RoomAccessPolicy;
  /** Told about every ICE grant handed out, so that minted credentials can be refreshed. */
  onIceGrant?: (session: Session, grant: IceGrant) => void;
  /** Limits on `room-data` (data through the server); without them, it is not handled. */
  data?: RoomDataLimits;
  /** How the room's media flows (mesh or SFU); without it, always a mesh. */
  media?: RoomMedia;
  /** Host controls (password, lock, lobby, mute, remove, end); without them, rooms are open. */
  hosts?: Omit<HostControlOptions, 'log'> & { controls: RoomControlDirectory; bus: Bus };
  log: { error(obj: object, msg: string): void };
}

/** The media feature, as rooms see it (app.ts wires media/ in). */
export interface RoomMedia {
  /** The room's mode after a join brought it to `size` seats (switching it if need be). */
  modeAfterJoin(roomId: string, size: number, newcomer: Session): Promise<'mesh' | 'sfu'>;
  /** A seat went (`remaining` seats left, undefined if it was gone already). */
  seatReleased(roomId: string, remaining: number | undefined, session: Session | undefined): void;
}

/**
 * Rooms: join, leave, targeted signal relay and media state, on one node or many.
 * Seats live in the room directory; frames go through the delivery, which reaches
 * sessions on other nodes over the bus. The server stamps `from` on everything it
 * forwards and only forwards inside the sender's room.
 */
export function registerRoomHandlers(
  gateway: Gateway,
  nodeId: string,
  rooms: RoomDirectory,
  delivery: Delivery,
  ice: IceServerProvider,
  options: RoomOptions,
): NodeScoped {
  const peerLeft = (roomId: string, peerId: string, reason: LeaveReason): void =>
    delivery.toRoom(roomId, JSON.stringify({ type: 'peer-left', peerId, reason }));

  // Targets of relayed signals, so that the hot path costs no Redis round trip.
  const seats = new SeatCache();
  const leaveRoom = async (session: Session, reason: LeaveReason): Promise<Seat | undefined> => {
    const seat = seatOf(session);
    if (!seat) {
      return undefined;
    }
    session.attachments.delete(SEAT);
    seats.forget(seat.roomId, seat.peerId);
    delivery.leaveRoom(seat.roomId, session);
    const remaining = await rooms.leave(seat.roomId, seat.peerId).catch((err: unknown) => {
      options.media?.seatReleased(seat.roomId, undefined, session);
      throw err;
    });
    if (remaining) {
      peerLeft(seat.roomId, seat.peerId, reason);
    }
    options.media?.seatReleased(seat.roomId, remaining?.length, session);
    await releaseHost(seat.roomId, seat.peerId, remaining);
    return seat;
  };

  // Host controls ask the seat-taking half of a join to seat an admitted waiter.
  let hosts: HostControls | undefined;
  /** Hand host over or drop the room's controls; a failure there never fails the leave. */
  const releaseHost = async (
    roomId: string,
    peerId: string,
    remaining: RoomMember[] | undefined,
  ): Promise<void> => {
    try {
      await hosts?.seatReleased(roomId, peerId, remaining);
    } catch (err) {
      options.log.error({ err, room: roomId }, 'could not hand the room host over');
    }
  };

  gateway.handle('join', async (session, msg) => {
    if (seatOf(session) || session.attachments.has(JOINING) || hosts?.isWaiting(session)) {
      throw new ProtocolError('already_joined', 'already in a room: leave it first');
    }
    if (options.access) {
      session.attachments.set(JOINING, true);
      let refusal;
      try {
        refusal = await options.access.check(msg.room, session.id);
      } catch (err) {
        throw unavailable(err);
      } finally {
        session.attachments.delete(JOINING);
      }
      if (refusal === 'private') {
        throw new ProtocolError(
          'room_private',
          'this is a private room for the two people who were paired',
        );
      }
    }
    let entry: HostEntry | undefined;
    if (hosts) {
      session.attachments.set(JOINING, true);
      try {
        entry = await hosts.gate(session, msg);
      } catch (err) {
        throw unavailable(err);
      } finally {
        session.attachments.delete(JOINING);
      }
    }
    if (entry?.kind !== 'wait') {
      await takeSeat(session, msg, entry);
    }
  });

  /** The seat-taking half of a join, once the room's rules let the session in. */
  const takeSeat = async (session: Session, msg: JoinMessage, entry?: HostEntry): Promise<void> => {
    const enter = entry?.kind === 'enter' ? entry : undefined;
    const member: RoomMember = {
      peerId: randomId(9),
      sessionId: session.id,
      nodeId,
      name: msg.name,
      media: msg.media,
      joinedAt: Date.now(),
    };
    session.attachments.set(JOINING, true);
    // Subscribe before taking the seat, so that nobody's join or leave in between is
    // missed; hold what arrives until `joined` has gone out.
    session.hold();
    let outcome;
    try {
      await delivery.joinRoom(msg.room, session);
      outcome = await rooms.join(msg.room, member);
    } catch (err) {
      delivery.leaveRoom(msg.room, session);
      session.release();
      throw unavailable(err);
    } finally {
      session.attachments.delete(JOINING);
    }
    if (!outcome.ok) {
      delivery.leaveRoom(msg.room, session);
      session.release();
      if (enter?.created) {
        await hosts?.abandon(msg.room);
      }
      if (outcome.reason === 'full') {
        throw new ProtocolError(
          'room_full',
          `this room is full (${options.maxRoomSize} people at most)`,
        );
      }
      throw new ProtocolError('overloaded', 'the server has too many rooms open; try again later');
    }
    if (session.state === 'closed') {
      // The socket went away while the seat was being taken: give it back at once.
      delivery.leaveRoom(msg.room, session);
      const remaining = await rooms.leave(msg.room, member.peerId);
      if (remaining) {
        peerLeft(msg.room, member.peerId, 'timeout');
      }
      options.media?.seatReleased(msg.room, remaining?.length, undefined);
      await releaseHost(msg.room, member.peerId, remaining);
      return;
    }
    let mode: 'mesh' | 'sfu' = 'mesh';
    if (options.media) {
      try {
        mode = await options.media.modeAfterJoin(msg.room, outcome.peers.length + 1, session);
      } catch (err) {
        delivery.leaveRoom(msg.room, session);
        session.release();
        const remaining = await rooms.leave(msg.room, member.peerId).catch(() => undefined);
        options.media.seatReleased(msg.room, remaining?.length, undefined);
        throw unavailable(err);
      }
    }
    session.attachments.set(SEAT, {
      roomId: msg.room,
      peerId: member.peerId,
      member,
    } satisfies Seat);
    let hostFields = {};
    try {
      hostFields = (await enter?.seated(member.peerId)) ?? {};
    } catch (err) {
      options.log.error({ err, room: msg.room }, 'could not read the room controls');
    }
    const grant = ice.grant(session.id);
    session.release(
      JSON.stringify({
        type: 'joined',
        room: msg.room,
        self: member.peerId,
        peers: outcome.peers.map(toPeerInfo),
        iceServers: grant.iceServers,
        ...(grant.expiresAt === undefined ? {} : { iceExpiresAt: grant.expiresAt }),
        ...(options.iceTransportPolicy === 'relay' ? { iceTransportPolicy: 'relay' as const } : {}),
        maxPeers: options.maxRoomSize,
        mode,
        ...(options.uplinkBudgetKbps ? { uplinkBudgetBps: options.uplinkBudgetKbps * 1000 } : {}),
        ...(options.data ? { dataLimits: options.data } : {}),
        ...hostFields,
        ...(msg.rid === undefined ? {} : { rid: msg.rid }),
      }),
    );
    delivery.toRoom(
      msg.room,
      JSON.stringify({ type: 'peer-joined', peer: toPeerInfo(member) }),
      session.id,
    );
    enter?.announce?.();
    options.onIceGrant?.(session, grant);
    options.afterJoin?.(session, msg.room);
  };

  if (options.hosts) {
    const { controls, bus, ...hostOptions } = options.hosts;
    hosts = new HostControls(
      gateway,
      nodeId,
      rooms,
      controls,
      delivery,
      bus,
      {
        seatOf,
        takeSeat,
        async evict(session, reason) {
          const seat = seatOf(session);
          if (seat) {
            session.send({ type: 'room-closed', room: seat.roomId, reason });
            await leaveRoom(session, reason === 'removed' ? 'removed' : 'left');
          }
        },
      },
      { ...hostOptions, log: options.log },
    );
  }
  // A client may send frames right behind its join, before `joined` (one round trip to
  // join): they wait for the seat instead of finding none. A join that waits in the lobby
  // is answered (lobby-waiting) and done: what follows it is handled as it comes.
  gateway.keepOrderAfter('join');
  // Likewise after a leave: a client that leaves one room and joins the next at once (a
  // meet or board pairing moving on, on one connection) must find its old seat gone,
  // not `already_joined` while the leave is still releasing it.
  gateway.keepOrderAfter('leave');

  gateway.handle('leave', async (session, msg) => {
    const waitedIn = await hosts?.leaveLobby(session);
    if (waitedIn !== undefined) {
      session.send({
        type: 'left',
        room: waitedIn,
        ...(msg.rid === undefined ? {} : { rid: msg.rid }),
      });
      return;
    }
    const seat = await leaveRoom(session, 'left');
    if (!seat) {
      throw new ProtocolError('not_joined', 'not in a room');
    }
    session.send({
      type: 'left',
      room: seat.roomId,
      ...(msg.rid === undefined ? {} : { rid: msg.rid }),
    });
    options.afterLeave?.(session, seat.roomId);
  });

  gateway.handle('signal', (session, msg, raw) => {
    const seat = seatOf(session);
    if (!seat) {
      throw new ProtocolError('not_joined', 'join a room before signaling');
    }
    const relay = (target: RoomMember | undefined): void => {
      if (!target || target.peerId === seat.peerId) {
        throw new ProtocolError('unknown_peer', `no peer "${msg.to.slice(0, 64)}" in this room`);
      }
      // Forward the sender's own text with the stamped `from` in front: re-serializing a
      // 5 KB SDP was the largest Parley-specific cost of relaying (bench/NOTES.md). Safe
      // because the signal schema is strict: the text holds only what was validated, and
      // a `from` of the sender's own is refused, not overridden.
      delivery.toSession(
        target,
        `{"from":${JSON.stringify(seat.peerId)},${raw.slice(raw.indexOf('{') + 1)}`,
        'signal',
      );
    };
    return withSeat(seats, rooms, seat.roomId, msg.to, relay);
  });

  if (options.data) {
    registerRoomData(gateway, rooms, delivery, seats, seatOf, options.data);
  }

  gateway.handle('media-state', async (session, msg) => {
    const seat = seatOf(session);
    if (!seat) {
      throw new ProtocolError('not_joined', 'join a room before sending media state');
    }
    seat.member = { ...seat.member, media: msg.media };
    if (!(await rooms.setMedia(seat.roomId, seat.peerId, msg.media))) {
      return;
    }
    delivery.toRoom(
      seat.roomId,
      JSON.stringify({ type: 'peer-media-state', from: seat.peerId, media: msg.media }),
      session.id,
    );
  });

  gateway.addHooks({
    sessionEnded: (session, reason) => {
      leaveRoom(session, reason).catch((err: unknown) =>
        options.log.error({ err, session: session.id }, 'could not release a room seat'),
      );
    },
  });

  return {
    // A dead node's seats: everyone who sat with them sees them leave (reason timeout).
    async releaseNode(nodeId) {
      for (const { roomId, peerId } of await rooms.seatsOfNode(nodeId)) {
        const remaining = await rooms.leave(roomId, peerId);
        if (remaining) {
          peerLeft(roomId, peerId, 'timeout');
          options.media?.seatReleased(roomId, remaining.length, undefined);
        }
        await releaseHost(roomId, peerId, remaining);
      }
    },
    // The shared state was lost: write this node's seats back.
    async restore() {
      for (const session of [...delivery.localSessions()]) {
        const seat = seatOf(session);
        if (seat) {
          await rooms.restore(seat.roomId, seat.member);
        }
      }
    },
  };
}
