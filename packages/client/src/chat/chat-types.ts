import type { ChatLimits } from '@parley/protocol';
import type { OutboxStorage } from './outbox.js';
import type { Typist } from './typing-tracker.js';

/** Where one of our messages stands; others' messages are always `sent`. */
export type ChatEntryStatus = 'sent' | 'pending' | 'sending' | 'failed';

/** A line of the chat as the UI shows it: a stored message, or one of ours on its way. */
export interface ChatEntry {
  /** Stable React key: the client id (ours and others'). */
  key: string;
  clientId: string;
  /** Server id and cursor, once stored. */
  id?: string;
  seq?: number;
  /** Sender's peer id (null for our own unsent message). */
  from: string | null;
  name: string;
  /** Plain text: render as text, never as HTML. */
  text: string;
  /** Server time once stored; local time while pending. */
  ts: number;
  own: boolean;
  status: ChatEntryStatus;
  error?: { code: string; message: string };
}

export type ChatClientEvents = {
  /** The list of entries changed (new, confirmed, failed, history loaded). */
  change: [entries: readonly ChatEntry[]];
  /** A message from someone else arrived live (for unread badges and sounds). */
  message: [entry: ChatEntry];
  /** Who is typing right now (others only). */
  typing: [typists: readonly Typist[]];
  /** The server's chat limits (after joining). */
  limits: [limits: ChatLimits];
};

export interface ChatClientOptions {
  /** Keep unsent messages across reloads (pass `localStorage`). */
  storage?: OutboxStorage | null;
  /** Wait before resending after `rate_limited` or a lost reply. */
  retryDelayMs?: number;
  /** Forget a typist after this long without news (the server relays, it does not expire). */
  typingTimeoutMs?: number;
  /** Random ids for messages; 128 random bits in hex by default. */
  createId?: () => string;
}
