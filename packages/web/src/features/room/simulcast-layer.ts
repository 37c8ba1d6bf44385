import { useEffect, useRef } from 'react';
import type { Room, SimulcastLayer } from '@parley/client';
import type { TileModel } from './tile-model';

/**
 * The simulcast layer that fits a tile of this size in CSS pixels (the SDK publishes
 * three: full, half and a quarter of the camera's resolution, 640×480 and below on
 * most webcams at the sizes Parley asks for): a large tile (a spotlight, or one of a
 * few) gets the full one, a grid tile the middle one, a small tile the smallest.
 */
export function layerForTile(width: number, height: number): SimulcastLayer {
  const px = Math.max(width, height * (4 / 3));
  if (px >= 480) {
    return 2;
  }
  if (px >= 240) {
    return 1;
  }
  return 0;
}

/**
 * Ask the SFU for the layer that fits each remote tile (`room.setLayer`). Only rooms
 * through the SFU have layers: in a mesh setLayer says false and nothing is sent, so
 * it is tried again when the tile's video track changes (as after a switch).
 */
export function useSimulcastLayers(
  room: Room | null,
  tiles: readonly TileModel[],
  layer: SimulcastLayer | null,
  /** One tile shown large (the spotlight) wants its own, higher layer. */
  large: { id: string; layer: SimulcastLayer } | null = null,
): void {
  const applied = useRef(new Map<string, string>());
  const remote = tiles.filter((t) => !t.isSelf);
  const latest = useRef(remote);
  latest.current = remote;
  const key = JSON.stringify([large, remote.map((t) => [t.id, t.video?.id ?? ''])]);
  const largeRef = useRef(large);
  largeRef.current = large;
  useEffect(() => {
    if (!room || layer === null) {
      return;
    }
    const seen = new Set<string>();
    for (const tile of latest.current) {
      const id = tile.id;
      const big = largeRef.current;
      const tileLayer = big && big.id === id ? big.layer : layer;
      const want = `${tileLayer}:${tile.video?.id ?? ''}`;
      seen.add(id);
      if (applied.current.get(id) !== want && room.setLayer(id, tileLayer)) {
        applied.current.set(id, want);
      }
    }
    for (const id of [...applied.current.keys()]) {
      if (!seen.has(id)) {
        applied.current.delete(id);
      }
    }
  }, [room, layer, key]);
}
