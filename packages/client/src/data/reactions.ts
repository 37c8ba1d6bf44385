import { Emitter } from '@parley/common';
import type { Room } from '../room.js';
import { parseEnvelope } from './envelope.js';

/** The reactions anyone can send: a small fixed set, so nothing arbitrary is shown. */
export const REACTION_EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '👏'] as const;
export type ReactionEmoji = (typeof REACTION_EMOJI)[number];

export function isReactionEmoji(value: unknown): value is ReactionEmoji {
  return REACTION_EMOJI.includes(value as ReactionEmoji);
}

export type ReactionEvents = {
  /** Someone reacted; `from` is a participant id, or our own `selfId` for our reactions. */
  reaction: [from: string, emoji: ReactionEmoji];
};

/**
 * Reactions on the room's shared data path: each link's data channel in a mesh (the
 * server never sees them), `room-data` through the server in an SFU room.
 */
export class Reactions extends Emitter<ReactionEvents> {
  private readonly unsubscribe: () => void;
  private lastFrom = new Map<string, number>();

  constructor(
    private readonly room: Room,
    /** A peer's reactions faster than this are dropped (a flood would cover the tiles). */
    private readonly minIntervalMs = 150,
  ) {
    super();
    this.unsubscribe = room.on('data', (p, data) => {
      const msg = parseEnvelope(data, 'reaction');
      if (!msg || !isReactionEmoji(msg.emoji)) {
        return;
      }
      const now = Date.now();
      if (now - (this.lastFrom.get(p.id) ?? 0) < this.minIntervalMs) {
        return;
      }
      this.lastFrom.set(p.id, now);
      this.emit('reaction', p.id, msg.emoji);
    });
  }

  /** React: everyone connected sees it over our tile; we see it over our own. */
  send(emoji: ReactionEmoji): void {
    if (!isReactionEmoji(emoji)) {
      throw new Error(`not a reaction: ${String(emoji)}`);
    }
    this.room.sendData(JSON.stringify({ ns: 'reaction', emoji }));
    this.emit('reaction', this.room.selfId ?? 'self', emoji);
  }

  close(): void {
    this.unsubscribe();
    this.removeAllListeners();
  }
}
