import type { Gateway } from '../signaling/gateway.js';
import { ProtocolError } from '../signaling/protocol-error.js';
import type { Session } from '../signaling/session.js';
import { randomId } from '../signaling/ids.js';
import type { IceGrant, IceServerProvider } from '../ice/ice-servers.js';
import { toPeerInfo, type Member, type RoomRegistry } from './room-registry.js';

/** What a session keeps about its room seat (under `attachments`). */
interface Seat {
  roomId: string;
  peerId: string;
}
const SEAT = 'room.seat';

export function seatOf(session: Session): Seat | undefined {
  return session.attachments.get(SEAT) as Seat | undefined;
}

/** Frame once, send to many: fan-out must not re-serialize per member. */
function broadcast(members: Iterable<Member>, message: object, except?: string): void {
  const frame = JSON.stringify(message);
  for (const m of members) {
    if (m.peerId !== except) {
      m.session.sendRaw(frame);
    }
  }
}

/**
 * Rooms: join, leave, targeted signal relay and media state. The server stamps
 * `from` on everything it forwards and only forwards inside the sender's room.
 */
export function registerRoomHandlers(
  gateway: Gateway,
  rooms: RoomRegistry,
  ice: IceServerProvider,
  options: {
    maxRoomSize: number;
    /** `relay` tells clients to send media through TURN only. */
    iceTransportPolicy?: string;
    /** Sent in `joined`: what each participant should upload in total. */
    uplinkBudgetKbps?: number;
    /** Runs after `joined` went out (e.g. chat pushes the room's history). */
    afterJoin?: (session: Session, roomId: string) => void;
    /** Told about every ICE grant handed out, so that minted credentials can be refreshed. */
    onIceGrant?: (session: Session, grant: IceGrant) => void;
  },
): void {
  const leaveRoom = (session: Session, reason: 'left' | 'timeout'): Seat | undefined => {
    const seat = seatOf(session);
    if (!seat) {
      return undefined;
    }
    session.attachments.delete(SEAT);
    const rest = rooms.leave(seat.roomId, seat.peerId);
    if (rest) {
      broadcast(rest, { type: 'peer-left', peerId: seat.peerId, reason });
    }
    return seat;
  };

  gateway.handle('join', (session, msg) => {
    if (seatOf(session)) {
      throw new ProtocolError('already_joined', 'already in a room: leave it first');
    }
    const member: Member = {
      peerId: randomId(9),
      name: msg.name,
      media: msg.media,
      session,
      joinedAt: Date.now(),
    };
    const outcome = rooms.join(msg.room, member);
    if (!outcome.ok) {
      if (outcome.reason === 'full') {
        throw new ProtocolError(
          'room_full',
          `this room is full (${options.maxRoomSize} people at most)`,
        );
      }
      throw new ProtocolError('overloaded', 'the server has too many rooms open; try again later');
    }
    session.attachments.set(SEAT, { roomId: msg.room, peerId: member.peerId } satisfies Seat);
    const grant = ice.grant(session.id);
    session.send({
      type: 'joined',
      room: msg.room,
      self: member.peerId,
      peers: outcome.peers.map(toPeerInfo),
      iceServers: grant.iceServers,
      ...(grant.expiresAt === undefined ? {} : { iceExpiresAt: grant.expiresAt }),
      ...(options.iceTransportPolicy === 'relay' ? { iceTransportPolicy: 'relay' as const } : {}),
      maxPeers: options.maxRoomSize,
      ...(options.uplinkBudgetKbps ? { uplinkBudgetBps: options.uplinkBudgetKbps * 1000 } : {}),
      ...(msg.rid === undefined ? {} : { rid: msg.rid }),
    });
    broadcast(outcome.peers, { type: 'peer-joined', peer: toPeerInfo(member) });
    options.onIceGrant?.(session, grant);
    options.afterJoin?.(session, msg.room);
  });

  gateway.handle('leave', (session, msg) => {
    const seat = leaveRoom(session, 'left');
    if (!seat) {
      throw new ProtocolError('not_joined', 'not in a room');
    }
    session.send({
      type: 'left',
      room: seat.roomId,
      ...(msg.rid === undefined ? {} : { rid: msg.rid }),
    });
  });

  gateway.handle('signal', (session, msg, raw) => {
    const seat = seatOf(session);
    if (!seat) {
      throw new ProtocolError('not_joined', 'join a room before signaling');
    }
    const target = rooms.get(seat.roomId, msg.to);
    if (!target || target.peerId === seat.peerId) {
      throw new ProtocolError('unknown_peer', `no peer "${msg.to.slice(0, 64)}" in this room`);
    }
    // Forward the sender's own text with the stamped `from` in front: re-serializing a
    // 5 KB SDP was the largest Parley-specific cost of relaying (bench/NOTES.md). Safe
    // because the signal schema is strict: the text holds only what was validated, and
    // a `from` of the sender's own is refused, not overridden.
    target.session.sendRaw(
      `{"from":${JSON.stringify(seat.peerId)},${raw.slice(raw.indexOf('{') + 1)}`,
      'signal',
    );
  });

  gateway.handle('media-state', (session, msg) => {
    const seat = seatOf(session);
    if (!seat) {
      throw new ProtocolError('not_joined', 'join a room before sending media state');
    }
    const me = rooms.get(seat.roomId, seat.peerId);
    if (!me) {
      return;
    }
    me.media = msg.media;
    broadcast(
      rooms.members(seat.roomId),
      { type: 'peer-media-state', from: seat.peerId, media: msg.media },
      seat.peerId,
    );
  });

  gateway.addHooks({
    sessionEnded: (session, reason) => {
      leaveRoom(session, reason);
    },
  });
}
