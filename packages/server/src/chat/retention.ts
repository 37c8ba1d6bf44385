import { ConfigError } from '../config.js';
import type { RetentionPolicy } from './chat-store.js';

const DAY_MS = 86_400_000;

/**
 * Parse per-room retention entries `room:days:messages` (0 means "keep" for that
 * part), e.g. `standup:7:0` keeps a week, `lobby:0:500` keeps the last 500.
 * Throws a ConfigError naming the bad entry.
 */
export function parseRoomRetention(entries: readonly string[]): Map<string, RetentionPolicy> {
  const out = new Map<string, RetentionPolicy>();
  for (const entry of entries) {
    const m = /^([A-Za-z0-9_-]{1,64}):(\d+):(\d+)$/.exec(entry);
    if (!m) {
      throw new ConfigError(
        `--chat-retention-rooms: "${entry}" is not room:days:messages (e.g. standup:7:0)`,
      );
    }
    out.set(m[1] as string, {
      maxAgeMs: Number(m[2]) * DAY_MS,
      maxMessages: Number(m[3]),
    });
  }
  return out;
}
