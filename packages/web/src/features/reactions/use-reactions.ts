import { useEffect, useState } from 'react';
import { Reactions, type ReactionEmoji, type Room } from '@parley/client';

export interface FloatingReaction {
  key: number;
  emoji: ReactionEmoji;
  /** Horizontal offset in %, so that several reactions do not stack exactly. */
  drift: number;
}

/** How long a reaction floats over a tile. */
export const REACTION_MS = 2600;
let counter = 0;

/**
 * Reactions in the room, keyed by tile id ('self' for ours, the participant id for
 * others), each removed after it has floated away.
 */
export function useReactions(room: Room | null): {
  send: (emoji: ReactionEmoji) => void;
  floating: ReadonlyMap<string, FloatingReaction[]>;
} {
  const [reactions, setReactions] = useState<Reactions | null>(null);
  const [floating, setFloating] = useState<ReadonlyMap<string, FloatingReaction[]>>(new Map());

  useEffect(() => {
    if (!room) {
      return;
    }
    const r = new Reactions(room);
    setReactions(r);
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const off = r.on('reaction', (from, emoji) => {
      const tile = from === room.selfId || from === 'self' ? 'self' : from;
      const item = { key: ++counter, emoji, drift: Math.round(Math.random() * 40) - 20 };
      setFloating((m) => new Map(m).set(tile, [...(m.get(tile) ?? []), item].slice(-6)));
      const timer = setTimeout(() => {
        timers.delete(timer);
        setFloating((m) => {
          const next = new Map(m);
          const left = (next.get(tile) ?? []).filter((x) => x.key !== item.key);
          if (left.length > 0) {
            next.set(tile, left);
          } else {
            next.delete(tile);
          }
          return next;
        });
      }, REACTION_MS);
      timers.add(timer);
    });
    return () => {
      off();
      timers.forEach(clearTimeout);
      r.close();
      setReactions(null);
    };
  }, [room]);

  return { send: (emoji) => reactions?.send(emoji), floating };
}
