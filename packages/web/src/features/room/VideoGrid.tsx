import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { SimulcastLayer } from '@parley/client';
import { bestGrid } from './grid-layout';
import { layerForTile } from './simulcast-layer';
import { Tile } from './Tile';
import type { TileModel } from './tile-model';

const GAP = 8;

/** Renders extra content in a tile's top-right corner (e.g. a quality indicator). */
export type TileOverlayRenderer = (tile: TileModel) => ReactNode;

/** The call's tiles, sized to fill the space they are given (see bestGrid). */
export function VideoGrid({
  tiles,
  renderOverlay,
  onTileLayer,
}: {
  tiles: TileModel[];
  renderOverlay?: TileOverlayRenderer;
  /** Told the simulcast layer that fits the tiles' size whenever it changes. */
  onTileLayer?: (layer: SimulcastLayer) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) {
      return;
    }
    const measure = (): void => {
      const { width, height } = el.getBoundingClientRect();
      setSize((s) =>
        Math.abs(s.width - width) < 1 && Math.abs(s.height - height) < 1 ? s : { width, height },
      );
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const layout = bestGrid(tiles.length, size.width, size.height, GAP);
  const layer = layout.width > 0 ? layerForTile(layout.width, layout.height) : null;
  useEffect(() => {
    if (layer !== null) {
      onTileLayer?.(layer);
    }
  }, [layer, onTileLayer]);
  return (
    <div
      className="grid"
      ref={ref}
      data-testid="grid"
      data-count={tiles.length}
      data-layer={layer ?? undefined}
    >
      {layout.width > 0 ? (
        // The row width is fixed so that wrapping gives exactly `cols` per row; a short
        // last row is centred.
        <div
          className="grid__tiles"
          style={{ width: layout.cols * layout.width + (layout.cols - 1) * GAP, gap: GAP }}
        >
          {tiles.map((tile) => (
            <Tile
              key={tile.id}
              tile={tile}
              width={layout.width}
              height={layout.height}
              overlay={renderOverlay?.(tile)}
            />
          ))}
        </div>
      ) : null}
    </div>
  );
}
