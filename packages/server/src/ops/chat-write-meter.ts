import type { ChatStore } from '../chat/index.js';

/**
 * A chat store that reports each message it actually stored (an idempotent resend is
 * not a write), so chat needs no knowledge of metrics.
 */
export function meterChatWrites(store: ChatStore, written: () => void): ChatStore {
  return {
    async append(message) {
      const result = await store.append(message);
      if (result.created) {
        written();
      }
      return result;
    },
    history: (room, query) => store.history(room, query),
    prune: (room, policy, now) => store.prune(room, policy, now),
    pruneExpired: (cutoff, exceptRooms) => store.pruneExpired(cutoff, exceptRooms),
  };
}
