export { ChatClient } from './chat-client.js';
export type {
  ChatEntry,
  ChatEntryStatus,
  ChatClientEvents,
  ChatClientOptions,
} from './chat-types.js';
export type { Typist } from './typing-tracker.js';
export { Outbox, type OutboxItem, type OutboxStorage } from './outbox.js';
