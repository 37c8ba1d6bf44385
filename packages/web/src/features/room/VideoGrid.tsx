import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { SimulcastLayer } from '@parley/client';
import { stageLayout } from './grid-layout';
import {
  STRIP_TILE,
  STRIP_TILE_PHONE,
  fitWide,
  stripSide,
  type StageArrangement,
} from './stage-layout';
import { layerForTile } from './simulcast-layer';
import { Tile } from './Tile';
import type { TileModel } from './tile-model';

const GAP = 8;

/** Renders extra content in a tile's top-right corner (e.g. a quality indicator). */
export type TileOverlayRenderer = (tile: TileModel) => ReactNode;

/**
 * The call's tiles, sized to fill the space they are given: a grid (see bestGrid), or
 * one tile large with the others in a strip (the spotlight: a screen share or a pin).
 */
export function VideoGrid({
  tiles,
  arrangement = { mode: 'grid', tiles },
  pinnedId = null,
  onTogglePin,
  renderOverlay,
  onTileLayer,
  onOffscreen,
}: {
  tiles: TileModel[];
  /** Grid or spotlight (stage-layout.ts); a grid of `tiles` by default. */
  arrangement?: StageArrangement;
  pinnedId?: string | null;
  /** Pin or unpin a tile; shown on each tile when there is more than one. */
  onTogglePin?: (id: string) => void;
  renderOverlay?: TileOverlayRenderer;
  /** Told the simulcast layer that fits the tiles' size whenever it changes. */
  onTileLayer?: (layer: SimulcastLayer) => void;
  /** Told the ids of the tiles wholly out of view (scrolled away) whenever they change. */
  onOffscreen?: (ids: ReadonlySet<string>) => void;
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

  const spotlight = arrangement.mode === 'spotlight' ? arrangement : null;
  const layout = stageLayout(tiles.length, size.width, size.height, GAP);
  const ids = tiles.map((t) => t.id).join('\n');
  useEffect(() => {
    const el = ref.current;
    if (!el || !onOffscreen || typeof IntersectionObserver === 'undefined') {
      return;
    }
    // The viewport is the root, so every scroller on the way (the grid's own, the
    // page's) counts: a tile with any pixel in view is on screen.
    const out = new Set<string>();
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const id = (entry.target as HTMLElement).dataset.tileId ?? '';
        if (entry.isIntersecting) {
          out.delete(id);
        } else {
          out.add(id);
        }
      }
      onOffscreen(new Set(out));
    });
    el.querySelectorAll('[data-tile-id]').forEach((tile) => observer.observe(tile));
    return () => {
      observer.disconnect();
      onOffscreen(new Set());
    };
    // The tiles move to other parents when the spotlight comes or goes: observe anew.
  }, [ids, layout.width > 0, onOffscreen, spotlight?.main.id]);
  // In the spotlight the strip's thumbnails set the layer; the large tile asks for the
  // top layer on its own (CallView).
  const phone = size.width < 600;
  const thumb = phone ? STRIP_TILE_PHONE : STRIP_TILE;
  const layer =
    layout.width === 0
      ? null
      : spotlight
        ? layerForTile(thumb.width, thumb.height)
        : layerForTile(layout.width, layout.height);
  useEffect(() => {
    if (layer !== null) {
      onTileLayer?.(layer);
    }
  }, [layer, onTileLayer]);
  const pin = tiles.length > 1 ? onTogglePin : undefined;
  const renderTile = (tile: TileModel, width: number, height: number) => (
    <Tile
      key={tile.id}
      tile={tile}
      width={width}
      height={height}
      overlay={renderOverlay?.(tile)}
      pinned={pinnedId === tile.id}
      onTogglePin={pin}
    />
  );
  if (spotlight) {
    const side = stripSide(size.width, size.height);
    const main =
      side === 'right'
        ? fitWide(size.width - thumb.width - GAP, size.height)
        : fitWide(size.width, size.height - thumb.height - GAP);
    return (
      <div
        className={`grid spotlight spotlight--${side}`}
        ref={ref}
        data-testid="grid"
        data-mode="spotlight"
        data-count={tiles.length}
        data-layer={layer ?? undefined}
        style={{ gap: GAP }}
      >
        {size.width > 0 ? (
          <>
            <div className="spotlight__main" data-testid="spotlight">
              {renderTile(spotlight.main, main.width, main.height)}
            </div>
            <div className="spotlight__strip" data-testid="strip" style={{ gap: GAP }}>
              {spotlight.strip.map((t) => renderTile(t, thumb.width, thumb.height))}
            </div>
          </>
        ) : null}
      </div>
    );
  }
  return (
    <div
      className={layout.scroll ? 'grid grid--scroll' : 'grid'}
      data-mode="grid"
      ref={ref}
      data-testid="grid"
      data-count={tiles.length}
      data-scroll={layout.scroll ? 'true' : 'false'}
      data-layer={layer ?? undefined}
    >
      {layout.width > 0 ? (
        // The row width is fixed so that wrapping gives exactly `cols` per row; a short
        // last row is centred.
        <div
          className="grid__tiles"
          style={{ width: layout.cols * layout.width + (layout.cols - 1) * GAP, gap: GAP }}
        >
          {tiles.map((tile) => renderTile(tile, layout.width, layout.height))}
        </div>
      ) : null}
    </div>
  );
}
