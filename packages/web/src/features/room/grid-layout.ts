/** Where the tiles of a call go: how many columns and rows, and each tile's size. */
export interface GridLayout {
  cols: number;
  rows: number;
  /** Tile size in CSS pixels. */
  width: number;
  height: number;
}

/** Video is 16:9; wider tiles than that only add black bars. */
const WIDEST = 16 / 9;

/**
 * Choose the grid that gives each of `count` tiles the most area inside a
 * `width` x `height` stage. Tiles are cropped to fill (object-fit: cover), so they may
 * be narrower than the video, but not arbitrarily: down to 4:3 on a landscape stage
 * (desktop) and 9:16 on a portrait one (phone), where tall tiles look natural and a
 * 2x2 grid beats four thin strips.
 */
export function bestGrid(count: number, width: number, height: number, gap = 8): GridLayout {
  const n = Math.max(1, count);
  const narrowest = width >= height ? 4 / 3 : 9 / 16;
  let best: GridLayout = { cols: 1, rows: n, width: 0, height: 0 };
  let bestArea = -1;
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    // Skip grids with a whole empty row (e.g. 3 columns x 2 rows for 3 tiles).
    if ((rows - 1) * cols >= n) {
      continue;
    }
    const cellW = Math.max(0, (width - gap * (cols - 1)) / cols);
    const cellH = Math.max(0, (height - gap * (rows - 1)) / rows);
    let w = cellW;
    let h = cellH;
    if (w / h > WIDEST) {
      w = h * WIDEST;
    } else if (w / h < narrowest) {
      h = w / narrowest;
    }
    const area = w * h;
    if (area > bestArea + 0.5) {
      bestArea = area;
      best = { cols, rows, width: Math.floor(w), height: Math.floor(h) };
    }
  }
  return best;
}

/**
 * The smallest tile worth showing, in CSS pixels (a thumbnail): below this a face is a
 * smudge, so a large call on a small screen scrolls instead of shrinking further.
 */
export const MIN_TILE_WIDTH = 88;
export const MIN_TILE_HEIGHT = 66;

/** A grid that may be taller than the stage: `scroll` when the stage scrolls through it. */
export interface StageLayout extends GridLayout {
  scroll: boolean;
}

/**
 * The layout of the stage: `bestGrid` while its tiles are at least the minimum size;
 * otherwise as many columns of minimum-width tiles (4:3, widened to fill the row) as
 * fit, in as many rows as needed, and the stage scrolls. Tiles scrolled out of view are
 * off screen, and through the SFU their video is paused (docs/SFU.md).
 */
export function stageLayout(count: number, width: number, height: number, gap = 8): StageLayout {
  const best = bestGrid(count, width, height, gap);
  if (best.width === 0 || (best.width >= MIN_TILE_WIDTH && best.height >= MIN_TILE_HEIGHT)) {
    return { ...best, scroll: false };
  }
  const n = Math.max(1, count);
  const cols = Math.max(1, Math.min(n, Math.floor((width + gap) / (MIN_TILE_WIDTH + gap))));
  const tileWidth = Math.max(MIN_TILE_WIDTH, Math.floor((width - gap * (cols - 1)) / cols));
  return {
    cols,
    rows: Math.ceil(n / cols),
    width: tileWidth,
    height: Math.floor((tileWidth * 3) / 4),
    scroll: true,
  };
}
