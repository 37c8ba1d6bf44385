import type { Gateway } from '../signaling/gateway.js';
import { ProtocolError, unavailable } from '../signaling/protocol-error.js';
import type { Session } from '../signaling/session.js';
import { KeyedBuckets, TokenBucket } from '../signaling/rate-limiter.js';
import type { Delivery } from '../cluster/delivery.js';
import type { ChatSender, ChatService } from './chat-service.js';

/** The sender's room seat, as the rooms feature tells it (undefined: not in a room). */
export type SeatLookup = (session: Session) => ChatSender | undefined;

const LIMITER = 'chat.limiter';
const HISTORY_LIMITER = 'chat.historyLimiter';
const TYPING = 'chat.typing';
/** A typist repeating "still typing" more often than this is not relayed again. */
const TYPING_MIN_INTERVAL_MS = 1000;

function requireSeat(session: Session, seatOf: SeatLookup): ChatSender {
  const sender = seatOf(session);
  if (!sender) {
    throw new ProtocolError('not_joined', 'join a room before chatting');
  }
  return sender;
}

function withRid<T extends object>(message: T, rid: string | undefined): T {
  return rid === undefined ? message : { ...message, rid };
}

/**
 * Room chat over the signaling socket: `chat-send`, `chat-history`, `chat-typing`.
 * Returns what the room handlers call after a successful join (the history push).
 */
export function registerChatHandlers(
  gateway: Gateway,
  seatOf: SeatLookup,
  delivery: Delivery,
  chat: ChatService,
): { afterJoin(session: Session, roomId: string): Promise<void> } {
  const bucket = (session: Session, key: string, rate: number): TokenBucket => {
    let limiter = session.attachments.get(key) as TokenBucket | undefined;
    if (!limiter) {
      limiter = new TokenBucket(rate);
      session.attachments.set(key, limiter);
    }
    return limiter;
  };
  const limiterOf = (session: Session): TokenBucket =>
    bucket(session, LIMITER, chat.settings.ratePerSecond);
  // One address with many sockets, or many people in one room, may not flood the
  // database either: limits over connections, besides the one per connection.
  const perAddress = new KeyedBuckets(chat.settings.ratePerAddress);
  const perRoom = new KeyedBuckets(chat.settings.ratePerRoom);

  gateway.handle('chat-send', async (session, msg) => {
    const sender = requireSeat(session, seatOf);
    if (!limiterOf(session).take()) {
      throw new ProtocolError(
        'rate_limited',
        `too many chat messages: at most ${chat.settings.ratePerSecond} a second`,
      );
    }
    if (!perAddress.take(session.address)) {
      throw new ProtocolError(
        'rate_limited',
        'too many chat messages from your network: wait a moment and send again',
      );
    }
    if (!perRoom.take(sender.room)) {
      throw new ProtocolError(
        'rate_limited',
        'this room is receiving too many messages at once: wait a moment and send again',
      );
    }
    const { message, announced } = await chat
      .post(sender, msg.clientId, msg.text, (stored) =>
        // The sender's reply travels in the room's one ordered stream with everyone's copy.
        delivery.toRoomInOrder(
          sender.room,
          JSON.stringify({ type: 'chat-message', message: stored }),
          session.id,
          JSON.stringify(withRid({ type: 'chat-message' as const, message: stored }, msg.rid)),
        ),
      )
      .catch((err: unknown) => {
        throw unavailable(err);
      });
    if (!announced) {
      // A resend: the room already has it; only the sender needed the answer.
      session.send(withRid({ type: 'chat-message' as const, message }, msg.rid));
    }
  });

  gateway.handle('chat-history', async (session, msg) => {
    const { room } = requireSeat(session, seatOf);
    // Each page is a database query: allow twice the posting rate, no more.
    if (!bucket(session, HISTORY_LIMITER, chat.settings.ratePerSecond * 2).take()) {
      throw new ProtocolError('rate_limited', 'too many history requests: slow down');
    }
    const page = await chat.history(room, {
      limit: msg.limit,
      ...(msg.beforeSeq === undefined ? {} : { beforeSeq: msg.beforeSeq }),
      ...(msg.afterSeq === undefined ? {} : { afterSeq: msg.afterSeq }),
    });
    const direction =
      msg.afterSeq !== undefined ? 'after' : msg.beforeSeq !== undefined ? 'before' : 'latest';
    session.send(withRid({ type: 'chat-history' as const, room, direction, ...page }, msg.rid));
  });

  gateway.handle('chat-typing', (session, msg) => {
    const sender = requireSeat(session, seatOf);
    // Relay changes at once, repeats of "still typing" at most once a second: typing
    // must not become a cheap way to flood a room.
    const last = session.attachments.get(TYPING) as { typing: boolean; at: number } | undefined;
    const now = Date.now();
    if (last && last.typing === msg.typing && now - last.at < TYPING_MIN_INTERVAL_MS) {
      return;
    }
    session.attachments.set(TYPING, { typing: msg.typing, at: now });
    const frame = JSON.stringify({
      type: 'chat-typing',
      from: sender.peerId,
      name: sender.name,
      typing: msg.typing,
    });
    delivery.toRoom(sender.room, frame, session.id);
  });

  return {
    async afterJoin(session, roomId) {
      const page =
        chat.settings.historySize > 0
          ? await chat.history(roomId, { limit: chat.settings.historySize })
          : { messages: [], hasMore: false };
      session.send({
        type: 'chat-history',
        room: roomId,
        direction: 'latest',
        limits: chat.limitsFor(roomId),
        ...page,
      });
    },
  };
}
