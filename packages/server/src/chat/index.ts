export { ChatService, toWire, type ChatSettings, type ChatSender } from './chat-service.js';
export { registerChatHandlers } from './chat-handlers.js';
export { parseRoomRetention } from './retention.js';
export { registerChat, chatSettingsFrom, type ChatFeature } from './register.js';
