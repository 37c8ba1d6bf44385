import type { ChatLimits, ChatMessage } from '@parley/protocol';
import type { ChatPage, ChatStore, RetentionPolicy, StoredChatMessage } from './chat-store.js';
import { randomId } from '../signaling/ids.js';
import { ProtocolError } from '../signaling/protocol-error.js';
import { LocalSequencer, type Sequencer } from '../cluster/sequencer.js';

export interface ChatSettings {
  maxLength: number;
  historySize: number;
  /** The policy of every room without an entry in `roomRetention`. */
  retention: RetentionPolicy;
  /** Rooms with a policy of their own. */
  roomRetention?: ReadonlyMap<string, RetentionPolicy>;
  fileMaxBytes: number;
  /** Messages per second one connection may post (burst twice this). */
  ratePerSecond: number;
  /** Messages per second from one client address, all its connections (burst twice this). */
  ratePerAddress: number;
  /** Messages per second into one room, everyone in it (burst twice this). */
  ratePerRoom: number;
}

export interface ChatSender {
  room: string;
  peerId: string;
  name: string;
}

export function toWire(m: StoredChatMessage): ChatMessage {
  return {
    id: m.id,
    seq: m.seq,
    room: m.room,
    clientId: m.clientId,
    from: m.senderId,
    name: m.senderName,
    text: m.text,
    ts: m.createdAt,
  };
}

/**
 * Room chat, independent of the transport: validates, stamps and stores messages.
 * Posts to one room are applied one at a time, so the order messages are stored in
 * (their `seq`) is the order they are delivered in, on either database.
 */
/** Messages stored but not yet announced that this node remembers, at most. */
const UNANNOUNCED_MAX = 10_000;

export class ChatService {
  private readonly unannounced = new Set<string>();

  constructor(
    private readonly store: ChatStore,
    readonly settings: ChatSettings,
    /** Posts to one room, on any node, are stored and announced one at a time. */
    private readonly sequencer: Sequencer = new LocalSequencer(),
    private readonly now: () => number = Date.now,
  ) {}

  /** The limits of `room`, with its retention, as pushed to whoever joins it. */
  limitsFor(room: string): ChatLimits {
    const policy = this.retentionFor(room);
    return {
      maxLength: this.settings.maxLength,
      ratePerSecond: this.settings.ratePerSecond,
      fileMaxBytes: this.settings.fileMaxBytes,
      retentionDays: Math.round(policy.maxAgeMs / 86_400_000),
      retentionMessages: policy.maxMessages,
    };
  }

  /** Check a message's text; returns it trimmed or throws a ProtocolError. */
  validate(text: string): string {
    const trimmed = text.trim();
    if (trimmed.length === 0) {
      throw new ProtocolError('empty_message', 'a chat message must not be empty');
    }
    // Count code points, not UTF-16 units, so an emoji is one character as users see it.
    const length = [...trimmed].length;
    if (length > this.settings.maxLength) {
      throw new ProtocolError(
        'message_too_long',
        `a chat message is at most ${this.settings.maxLength} characters (this one has ${length})`,
      );
    }
    return trimmed;
  }

  /**
   * Store a message from `sender` unless the room already has this `clientId`.
   * Everything but the text and client id is stamped here, never taken from the client.
   * A new message is passed to `announce` before the next post to the room starts, so
   * the room hears messages in the order they were stored.
   */
  post(
    sender: ChatSender,
    clientId: string,
    text: string,
    announce: (message: ChatMessage) => Promise<void> = () => Promise.resolve(),
  ): Promise<{ message: ChatMessage; announced: boolean }> {
    const trimmed = this.validate(text);
    return this.sequencer.run(`chat:${sender.room}`, async () => {
      const { message, created } = await this.store.append({
        id: randomId(12),
        room: sender.room,
        clientId,
        senderId: sender.peerId,
        senderName: sender.name,
        text: trimmed,
        createdAt: this.now(),
      });
      const wire = toWire(message);
      if (created) {
        await this.applyRetention(sender.room);
      } else if (!this.unannounced.has(wire.id)) {
        // A resend of what the room already heard: only the sender needs the answer.
        return { message: wire, announced: false };
      }
      try {
        await announce(wire);
      } catch (err) {
        // Stored but not heard (the bus was down): the sender's outbox resends it, and
        // the resend announces it then, instead of being answered to the sender alone.
        this.unannounced.add(wire.id);
        if (this.unannounced.size > UNANNOUNCED_MAX) {
          this.unannounced.delete(this.unannounced.values().next().value as string);
        }
        throw err;
      }
      this.unannounced.delete(wire.id);
      return { message: wire, announced: true };
    });
  }

  async history(
    room: string,
    query: { beforeSeq?: number; afterSeq?: number; limit: number },
  ): Promise<{ messages: ChatMessage[]; hasMore: boolean }> {
    const page: ChatPage = await this.store.history(room, query);
    return { messages: page.messages.map(toWire), hasMore: page.hasMore };
  }

  /** The retention policy that applies to `room`. */
  retentionFor(room: string): RetentionPolicy {
    return this.settings.roomRetention?.get(room) ?? this.settings.retention;
  }

  private async applyRetention(room: string): Promise<void> {
    const policy = this.retentionFor(room);
    if (policy.maxAgeMs > 0 || policy.maxMessages > 0) {
      await this.store.prune(room, policy, this.now());
    }
  }

  /**
   * Delete expired messages everywhere, including rooms nobody writes in any more
   * (posting only prunes the room posted to). Run at start and then periodically.
   */
  async sweep(): Promise<number> {
    const now = this.now();
    const overrides = this.settings.roomRetention ?? new Map<string, RetentionPolicy>();
    let deleted = 0;
    if (this.settings.retention.maxAgeMs > 0) {
      deleted += await this.store.pruneExpired(now - this.settings.retention.maxAgeMs, [
        ...overrides.keys(),
      ]);
    }
    for (const [room, policy] of overrides) {
      if (policy.maxAgeMs > 0 || policy.maxMessages > 0) {
        deleted += await this.store.prune(room, policy, now);
      }
    }
    return deleted;
  }
}
