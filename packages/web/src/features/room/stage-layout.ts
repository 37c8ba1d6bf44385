import type { TileModel } from './tile-model';

/**
 * What the stage shows: everyone in a grid, or one tile large (the spotlight) with the
 * others in a strip beside it.
 */
export type StageArrangement =
  { mode: 'grid'; tiles: TileModel[] } | { mode: 'spotlight'; main: TileModel; strip: TileModel[] };

/**
 * Which tile takes the large spot. A tile the viewer pinned wins (pins are local to the
 * viewer); else the most recent screen share (`shareOrder`: screen tile ids, oldest
 * first); else nobody, and the stage is a grid. In the strip the other screens come
 * first (newest first), then people in their usual order.
 */
export function arrangeStage(
  tiles: readonly TileModel[],
  pinnedId: string | null,
  shareOrder: readonly string[],
): StageArrangement {
  const byId = new Map(tiles.map((t) => [t.id, t]));
  const pinned = pinnedId === null ? undefined : byId.get(pinnedId);
  const screens = shareOrder
    .filter((id) => byId.get(id)?.kind === 'screen')
    .reverse()
    .map((id) => byId.get(id) as TileModel);
  // Screens not in the order yet (just arrived) count as the newest.
  const unordered = tiles.filter((t) => t.kind === 'screen' && !shareOrder.includes(t.id));
  const newestFirst = [...unordered, ...screens];
  const main = pinned ?? newestFirst[0];
  if (!main) {
    return { mode: 'grid', tiles: [...tiles] };
  }
  const strip = [
    ...newestFirst.filter((t) => t !== main),
    ...tiles.filter((t) => t.kind !== 'screen' && t !== main),
  ];
  return { mode: 'spotlight', main, strip };
}

/** Largest 16:9 box that fits in width x height (the spotlight tile). */
export function fitWide(width: number, height: number): { width: number; height: number } {
  const w = Math.max(0, Math.min(width, (height * 16) / 9));
  return { width: Math.floor(w), height: Math.floor((w * 9) / 16) };
}

/** Where the strip goes: beside the large tile on a wide stage, under it on a tall one. */
export function stripSide(width: number, height: number): 'right' | 'bottom' {
  return width > height * 1.4 ? 'right' : 'bottom';
}

/** Strip thumbnails (4:3) in CSS pixels: a face is still a face at this size. */
export const STRIP_TILE = { width: 160, height: 120 } as const;
export const STRIP_TILE_PHONE = { width: 96, height: 72 } as const;
