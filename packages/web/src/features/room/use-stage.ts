import { useCallback, useRef, useState } from 'react';
import { arrangeStage, type StageArrangement } from './stage-layout';
import type { TileModel } from './tile-model';

export interface Stage {
  arrangement: StageArrangement;
  pinnedId: string | null;
  /** Pin a tile (it takes the large spot), or unpin the pinned one. Local to this viewer. */
  togglePin: (id: string) => void;
}

/**
 * The viewer's pin and the order in which screen shares started (the newest is shown
 * large), turned into the stage's arrangement (stage-layout.ts).
 */
export function useStage(tiles: readonly TileModel[]): Stage {
  const [pinnedId, setPinnedId] = useState<string | null>(null);
  const order = useRef<string[]>([]);
  const screens = tiles.filter((t) => t.kind === 'screen').map((t) => t.id);
  order.current = [
    ...order.current.filter((id) => screens.includes(id)),
    ...screens.filter((id) => !order.current.includes(id)),
  ];
  const togglePin = useCallback(
    (id: string) => setPinnedId((current) => (current === id ? null : id)),
    [],
  );
  const present = pinnedId !== null && tiles.some((t) => t.id === pinnedId);
  return {
    arrangement: arrangeStage(tiles, present ? pinnedId : null, order.current),
    pinnedId: present ? pinnedId : null,
    togglePin,
  };
}
