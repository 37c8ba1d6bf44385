import { useEffect, useRef, useState } from 'react';
import type { Room } from '@parley/client';
import type { TileModel } from './tile-model';

/**
 * A tile off screen this long has its video paused: scrolling past a tile does not
 * pause and resume it. Coming back on screen resumes at once.
 */
export const PAUSE_AFTER_MS = 1000;

/** Whether the page is shown (document.visibilityState), following its changes. */
export function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState !== 'hidden');
  useEffect(() => {
    const update = (): void => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return visible;
}

/** Whether a remote tile's video should come now: it is on screen and the page is shown. */
export function wantsVideo(
  id: string,
  offscreen: ReadonlySet<string>,
  pageVisible: boolean,
): boolean {
  return pageVisible && !offscreen.has(id);
}

/**
 * One pass over the remote tiles: resume the video of those seen again, and (when
 * `pauses`) pause that of those unseen, through `setVideoPaused` (the room's). `applied`
 * remembers what the room took for each (`paused:trackId`), so nothing is asked twice
 * and a new track (after a switch) is asked afresh. Returns the ids paused now.
 */
export function stepVideoPause(
  tiles: ReadonlyArray<{ id: string; trackId: string }>,
  shouldPause: (id: string) => boolean,
  applied: Map<string, string>,
  pauses: boolean,
  setVideoPaused: (id: string, paused: boolean) => boolean,
): Set<string> {
  const seen = new Set<string>();
  const paused = new Set<string>();
  for (const { id, trackId } of tiles) {
    const pause = shouldPause(id);
    seen.add(id);
    if (!pause && !applied.get(id)?.startsWith('true:')) {
      // Never paused (or a new track, which comes unpaused): nothing to resume.
      applied.set(id, `false:${trackId}`);
    } else if (applied.get(id) !== `${pause}:${trackId}` && (pauses || !pause)) {
      if (setVideoPaused(id, pause)) {
        applied.set(id, `${pause}:${trackId}`);
      } else {
        // Not ours to pause (a mesh): the video keeps coming, whatever was asked.
        applied.delete(id);
      }
    }
    if (applied.get(id) === `true:${trackId}`) {
      paused.add(id);
    }
  }
  for (const id of [...applied.keys()]) {
    if (!seen.has(id)) {
      applied.delete(id);
    }
  }
  return paused;
}

/**
 * Stop receiving the video of the people nobody can see (their tile is off screen, or
 * the page is hidden) and resume it when they are seen again (`room.setVideoPaused`).
 * Only a room through the SFU can: in a mesh the room says false, the video keeps
 * coming, and the tile shows it as usual. Tried again when a tile's video track changes
 * (as after a switch). Returns the ids whose video is paused now, for the tiles to say so.
 */
export function useVideoPause(
  room: Room | null,
  tiles: readonly TileModel[],
  offscreen: ReadonlySet<string>,
  pageVisible: boolean,
): ReadonlySet<string> {
  const [paused, setPaused] = useState<ReadonlySet<string>>(new Set());
  /** What the room took for each participant: `paused:trackId`. */
  const applied = useRef(new Map<string, string>());
  const remote = tiles.filter((t) => !t.isSelf && t.video);
  const latest = useRef(remote);
  latest.current = remote;
  const key = JSON.stringify(
    remote.map((t) => [t.id, t.video?.id ?? '', wantsVideo(t.id, offscreen, pageVisible)]),
  );
  useEffect(() => {
    if (!room) {
      return;
    }
    const apply = (pauses: boolean): void => {
      const next = stepVideoPause(
        latest.current.map((t) => ({ id: t.id, trackId: t.video?.id ?? '' })),
        (id) => !wantsVideo(id, offscreen, pageVisible),
        applied.current,
        pauses,
        (id, pause) => room.setVideoPaused(id, pause),
      );
      setPaused((current) =>
        current.size === next.size && [...next].every((id) => current.has(id)) ? current : next,
      );
    };
    apply(false);
    const timer = setTimeout(() => apply(true), PAUSE_AFTER_MS);
    return () => clearTimeout(timer);
    // `key` stands for the tiles, their tracks and what is wanted of each.
  }, [room, key]);
  return paused;
}
