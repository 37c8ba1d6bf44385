import type { ClientMessageMap, RoomDataLimits } from '@parley/protocol';
import type { Gateway } from '../signaling/gateway.js';
import { ProtocolError, unavailable } from '../signaling/protocol-error.js';
import { TokenBucket } from '../signaling/rate-limiter.js';
import type { Session } from '../signaling/session.js';
import type { Delivery } from '../cluster/delivery.js';
import type { RoomDirectory, RoomMember } from './room-directory.js';
import { withSeat, type SeatCache } from './seat-cache.js';
import type { Seat } from './room-handlers.js';

const SENDER = 'room.data-sender';

type RoomData = ClientMessageMap['room-data'];

/**
 * What one session's relayed data costs: its byte bucket, and the tail of the frames
 * still on their way (a lookup in the directory), so that frames keep their order.
 */
interface Sender {
  readonly bucket: TokenBucket;
  tail: Promise<void>;
  pending: number;
}

/**
 * `room-data`: reactions, file offers and file bytes through the server, for rooms whose
 * media goes through the SFU (docs/SFU.md: why not Janus's data channels). The server
 * stamps `from`, forwards only inside the sender's room, and charges every byte it
 * relays to the sender's bucket; a frame over a limit is refused with its code and
 * nothing else (the connection, the room, other rooms) is touched.
 */
export function registerRoomData(
  gateway: Gateway,
  rooms: RoomDirectory,
  delivery: Delivery,
  seats: SeatCache,
  seatOf: (session: Session) => Seat | undefined,
  limits: RoomDataLimits,
): void {
  const senderOf = (session: Session): Sender => {
    let sender = session.attachments.get(SENDER) as Sender | undefined;
    if (!sender) {
      // Two seconds' worth of burst, and never less than one largest frame.
      const burst = Math.max(limits.bytesPerSecond * 2, limits.maxBytes);
      sender = {
        bucket: new TokenBucket(limits.bytesPerSecond, burst),
        tail: Promise.resolve(),
        pending: 0,
      };
      session.attachments.set(SENDER, sender);
    }
    return sender;
  };

  const charge = (session: Session, cost: number): void => {
    if (!senderOf(session).bucket.take(cost)) {
      throw new ProtocolError(
        'rate_limited',
        `room data over ${limits.bytesPerSecond} bytes per second: this frame was dropped`,
      );
    }
  };

  const frameOf = (seat: Seat, msg: RoomData): string =>
    JSON.stringify({
      type: 'room-data',
      from: seat.peerId,
      ...(msg.to === undefined ? {} : { to: msg.to }),
      data: msg.data,
      ...(msg.binary ? { binary: true } : {}),
      ...(msg.stream === undefined ? {} : { stream: msg.stream }),
    });

  /** One frame, checked and forwarded; a promise only when the directory had to be asked. */
  const relay = (session: Session, msg: RoomData, bytes: number): void | Promise<void> => {
    const seat = seatOf(session);
    if (!seat) {
      throw new ProtocolError('not_joined', 'join a room before sending data');
    }
    const to = msg.to;
    if (to === undefined) {
      return rooms.members(seat.roomId).then(
        (members) => {
          const others = members.filter((m) => m.peerId !== seat.peerId).length;
          if (others === 0) {
            return;
          }
          charge(session, bytes * others);
          delivery.toRoom(seat.roomId, frameOf(seat, msg), session.id);
        },
        (err: unknown) => {
          throw unavailable(err);
        },
      );
    }
    const send = (target: RoomMember | undefined): void => {
      if (!target || target.peerId === seat.peerId) {
        throw new ProtocolError('unknown_peer', `no peer "${to.slice(0, 64)}" in this room`);
      }
      charge(session, bytes);
      delivery.toSession(target, frameOf(seat, msg));
    };
    return withSeat(seats, rooms, seat.roomId, to, send);
  };

  gateway.handle('room-data', (session, msg) => {
    const bytes = Buffer.byteLength(msg.data);
    if (bytes > limits.maxBytes) {
      throw new ProtocolError(
        'too_large',
        `room data of ${bytes} bytes: at most ${limits.maxBytes} in one frame`,
      );
    }
    const sender = senderOf(session);
    // While an earlier frame waits for the directory, this one waits behind it: a file's
    // chunks must arrive in the order they were sent.
    const result =
      sender.pending === 0
        ? relay(session, msg, bytes)
        : sender.tail.then(() => relay(session, msg, bytes));
    if (result instanceof Promise) {
      sender.pending += 1;
      sender.tail = result.then(
        () => {
          sender.pending -= 1;
        },
        () => {
          sender.pending -= 1;
        },
      );
    }
    return result;
  });
}
