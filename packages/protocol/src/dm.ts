import { z } from 'zod';
import { RequestId } from './common.js';
import { UserId } from './accounts.js';

export const DM_TEXT_MAX = 4000;

/** A direct message as stored. `id` grows with time within a conversation. */
export const DirectMessage = z.object({
  id: z.number().int(),
  from: UserId,
  to: UserId,
  /** The sender's own id for the message, so a retried send is stored once. */
  clientId: z.string().min(1).max(64),
  text: z.string(),
  sentAt: z.number().int(),
});
export type DirectMessage = z.infer<typeof DirectMessage>;

/** Client → server: send a direct message to a contact. Idempotent on clientId. */
export const DmSend = z.object({
  type: z.literal('dm-send'),
  to: UserId,
  clientId: z.string().min(1).max(64),
  text: z
    .string()
    .max(DM_TEXT_MAX, `a message is at most ${DM_TEXT_MAX} characters`)
    .refine((s) => s.trim().length > 0, 'message must not be empty'),
  rid: RequestId,
});

/** Server → sender: stored (the ack the outbox waits for). */
export const DmSent = z.object({
  type: z.literal('dm-sent'),
  message: DirectMessage,
  rid: RequestId,
});

/** Server → both users' tabs: a new direct message. */
export const DmReceived = z.object({ type: z.literal('dm'), message: DirectMessage });

/** Client → server: I have read the conversation with `with` up to message `upTo`. */
export const DmRead = z.object({
  type: z.literal('dm-read'),
  with: UserId,
  upTo: z.number().int(),
  rid: RequestId,
});

/** Server → the reader's tabs: unread count with one contact changed. */
export const DmUnread = z.object({
  type: z.literal('dm-unread'),
  with: UserId,
  unread: z.number().int().min(0),
  rid: RequestId,
});

/** GET /api/dm/:userId?before=<id>&limit=<n> answer, oldest first. */
export const DmHistory = z.object({ messages: z.array(DirectMessage), hasMore: z.boolean() });
export type DmHistory = z.infer<typeof DmHistory>;
