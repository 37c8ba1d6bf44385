export { ChatService, toWire, type ChatSettings, type ChatSender } from './chat-service.js';
export { registerChatHandlers } from './chat-handlers.js';
export { parseRoomRetention } from './retention.js';
export { registerChat, chatSettingsFrom, type ChatFeature } from './register.js';
export {
  KyselyChatStore,
  type ChatStore,
  type StoredChatMessage,
  type NewChatMessage,
  type ChatPage,
  type HistoryQuery,
  type RetentionPolicy,
} from './chat-store.js';
export type { ChatTables, ChatMessagesTable } from './tables.js';
