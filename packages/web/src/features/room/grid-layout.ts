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
