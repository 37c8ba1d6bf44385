import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Gateway } from '../signaling/gateway.js';
import type { Session } from '../signaling/session.js';
import type { Delivery } from '../cluster/delivery.js';
import type { Sequencer } from '../cluster/sequencer.js';
import type { ChatStore } from './chat-store.js';
import { ChatService, type ChatSettings } from './chat-service.js';
import { registerChatHandlers, type SeatLookup } from './chat-handlers.js';
import { parseRoomRetention } from './retention.js';

export interface ChatFeature {
  readonly service: ChatService;
  /** Push the room's recent history to a session that just joined (errors are logged). */
  afterJoin(session: Session, roomId: string): void;
  close(): void;
}

/** Hourly: retention deletes expired messages in rooms nobody writes in any more. */
const SWEEP_INTERVAL_MS = 3_600_000;

/** Room chat: its store, its handlers, and the retention sweep. */
export function registerChat(
  gateway: Gateway,
  seatOf: SeatLookup,
  delivery: Delivery,
  sequencer: Sequencer,
  store: ChatStore,
  config: Config,
  log: Logger,
): ChatFeature {
  const service = new ChatService(store, chatSettingsFrom(config), sequencer);
  const handlers = registerChatHandlers(gateway, seatOf, delivery, service);
  const sweep = (): void =>
    void service.sweep().catch((err: unknown) => log.error({ err }, 'chat sweep failed'));
  sweep();
  // Every node sweeps; a sweep is an idempotent delete, so running it twice costs little.
  const timer = setInterval(sweep, SWEEP_INTERVAL_MS);
  timer.unref();
  return {
    service,
    afterJoin(session, roomId) {
      handlers.afterJoin(session, roomId).catch((err: unknown) => {
        log.error({ err, roomId }, 'chat history push failed');
      });
    },
    close() {
      clearInterval(timer);
    },
  };
}

export function chatSettingsFrom(config: Config): ChatSettings {
  return {
    maxLength: config.chatMaxLength,
    historySize: config.chatHistorySize,
    ratePerSecond: config.chatRateLimit,
    ratePerAddress: config.chatRatePerAddress,
    ratePerRoom: config.chatRatePerRoom,
    fileMaxBytes: config.fileMaxBytes,
    retention: {
      maxAgeMs: config.chatRetentionDays * 86_400_000,
      maxMessages: config.chatRetentionMessages,
    },
    roomRetention: parseRoomRetention(config.chatRetentionRooms),
  };
}
