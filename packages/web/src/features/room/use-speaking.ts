import { useEffect, useState } from 'react';
import type { Room } from '@parley/client';

/** Louder than this (dBov) counts as speaking: above a quiet room, below normal speech. */
export const SPEAKING_DB = -45;
/** Keep the highlight this long after the last loud sample, so it does not flicker. */
const HOLD_MS = 700;
const POLL_MS = 150;

export function isLoud(linearLevel: number): boolean {
  return linearLevel > 0 && 20 * Math.log10(linearLevel) > SPEAKING_DB;
}

/**
 * Ids of the remote participants speaking now, from the audio level the room reports
 * for each one's incoming voice (the browser's own RTP figures): no extra audio
 * processing and no need for an AudioContext.
 */
export function useSpeaking(room: Room | null): ReadonlySet<string> {
  const [speaking, setSpeaking] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    if (!room) {
      return;
    }
    const lastLoud = new Map<string, number>();
    const timer = setInterval(() => {
      const now = performance.now();
      const next = new Set<string>();
      for (const p of room.participants) {
        if (p.media.audio && isLoud(room.audioLevel(p.id) ?? 0)) {
          lastLoud.set(p.id, now);
        }
        if (now - (lastLoud.get(p.id) ?? -Infinity) < HOLD_MS) {
          next.add(p.id);
        }
      }
      setSpeaking((current) =>
        current.size === next.size && [...next].every((id) => current.has(id)) ? current : next,
      );
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [room]);
  return speaking;
}
