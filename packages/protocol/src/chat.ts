import { z } from 'zod';
import { PeerId, RequestId, RoomId } from './common.js';

/** Largest page a client may ask for; the join push size is configured on the server. */
export const CHAT_MAX_PAGE = 200;

/**
 * The client's own id for a message (e.g. a UUID). Resending with the same id stores
 * the message once, so a client can retry freely after a drop.
 */
export const ChatClientId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'clientId may contain letters, digits, - and _ only');

/** A stored chat message. Everything but `text` and `clientId` is stamped by the server. */
export const ChatMessage = z.object({
  /** Server id. */
  id: z.string(),
  /** Cursor: grows with every message stored; order messages by it. */
  seq: z.number().int(),
  room: RoomId,
  clientId: z.string(),
  /** Sender's peer id at the time (a rejoin gets a new one). */
  from: PeerId,
  /** Sender's display name at the time. */
  name: z.string(),
  /** Plain text, trimmed. Render as text, never as HTML. */
  text: z.string(),
  /** Server time, ms since epoch. */
  ts: z.number(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/** Limits the server enforces, pushed with the history after joining. */
export const ChatLimits = z.object({
  /** Longest message in characters, after trimming. */
  maxLength: z.number().int(),
  /** Messages per second one connection may post (bursts of twice this). */
  ratePerSecond: z.number().int(),
  /** Largest file to offer peer to peer, in bytes. */
  fileMaxBytes: z.number().int(),
  /**
   * How long this room's messages are kept (days; 0: no age limit) and how many at most
   * (0: no cap), so the panel can tell people what happens to what they write.
   */
  retentionDays: z.number().int().min(0).optional(),
  retentionMessages: z.number().int().min(0).optional(),
});
export type ChatLimits = z.infer<typeof ChatLimits>;

/** Client → server: post to the room I am in. The length limit is checked after trimming. */
export const ChatSend = z.object({
  type: z.literal('chat-send'),
  clientId: ChatClientId,
  // The configured limit (default 4000) is checked after trimming; this only bounds the frame.
  text: z.string().max(100_000),
  rid: RequestId,
});

/**
 * Client → server: a page of my room's history. `beforeSeq` pages back, `afterSeq`
 * catches up after a reconnect, neither gives the latest page.
 */
export const ChatHistoryRequest = z
  .object({
    type: z.literal('chat-history'),
    beforeSeq: z.number().int().min(0).optional(),
    afterSeq: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(CHAT_MAX_PAGE).default(50),
    rid: RequestId,
  })
  .refine((m) => m.beforeSeq === undefined || m.afterSeq === undefined, {
    message: 'give beforeSeq or afterSeq, not both',
  });

/** Client → server: I started or stopped typing (send again every few seconds while typing). */
export const ChatTypingOut = z.object({
  type: z.literal('chat-typing'),
  typing: z.boolean(),
});

/** Server → room: a message was stored. The sender's copy carries its request's `rid`. */
export const ChatMessageOut = z.object({
  type: z.literal('chat-message'),
  message: ChatMessage,
  rid: RequestId,
});

/** Server → client: history, oldest first. Pushed after `joined` (with `limits`) and on request. */
export const ChatHistory = z.object({
  type: z.literal('chat-history'),
  room: RoomId,
  messages: z.array(ChatMessage),
  /** More messages exist beyond this page in the direction asked. */
  hasMore: z.boolean(),
  /** `latest` for the push after joining and for a request without a cursor. */
  direction: z.enum(['latest', 'before', 'after']),
  limits: ChatLimits.optional(),
  rid: RequestId,
});

/** Server → room: someone started or stopped typing (forget it after 6 s without news). */
export const ChatTypingIn = z.object({
  type: z.literal('chat-typing'),
  from: PeerId,
  name: z.string(),
  typing: z.boolean(),
});
