import { describe, expect, it } from 'vitest';
import { bestGrid, MIN_TILE_HEIGHT, MIN_TILE_WIDTH, stageLayout } from './grid-layout';

const DESKTOP = [1366 - 32, 768 - 160] as const;
const PHONE = [390 - 16, 844 - 170] as const;

describe('bestGrid', () => {
  it('gives one person the whole stage, at most 16:9 wide', () => {
    const g = bestGrid(1, ...DESKTOP);
    expect([g.cols, g.rows]).toEqual([1, 1]);
    expect(g.width / g.height).toBeCloseTo(16 / 9, 1);
    expect(g.height).toBe(DESKTOP[1]);
  });

  it('puts two people side by side on a desktop and stacked on a phone', () => {
    expect(bestGrid(2, ...DESKTOP)).toMatchObject({ cols: 2, rows: 1 });
    expect(bestGrid(2, ...PHONE)).toMatchObject({ cols: 1, rows: 2 });
  });

  it('uses 2x2 for four people on both', () => {
    expect(bestGrid(4, ...DESKTOP)).toMatchObject({ cols: 2, rows: 2 });
    expect(bestGrid(4, ...PHONE)).toMatchObject({ cols: 2, rows: 2 });
  });

  it('uses three columns for six on a desktop and two on a phone', () => {
    expect(bestGrid(6, ...DESKTOP)).toMatchObject({ cols: 3, rows: 2 });
    expect(bestGrid(6, ...PHONE)).toMatchObject({ cols: 2, rows: 3 });
  });

  it('always fits inside the stage', () => {
    for (let n = 1; n <= 6; n++) {
      for (const [w, h] of [DESKTOP, PHONE, [844, 390] as const, [300, 200] as const]) {
        const g = bestGrid(n, w, h);
        expect(g.cols * g.rows).toBeGreaterThanOrEqual(n);
        expect(g.cols * g.width + (g.cols - 1) * 8).toBeLessThanOrEqual(w);
        expect(g.rows * g.height + (g.rows - 1) * 8).toBeLessThanOrEqual(h);
      }
    }
  });

  it('survives a stage that has no size yet', () => {
    expect(bestGrid(3, 0, 0)).toMatchObject({ width: 0, height: 0 });
  });
});

describe('stageLayout', () => {
  it('is bestGrid, without scrolling, while tiles are at least the minimum size', () => {
    for (let n = 1; n <= 6; n++) {
      expect(stageLayout(n, ...DESKTOP)).toEqual({ ...bestGrid(n, ...DESKTOP), scroll: false });
    }
    expect(stageLayout(3, 0, 0)).toMatchObject({ width: 0, scroll: false });
  });

  it('scrolls through rows of minimum-size tiles when the stage is too small for them all', () => {
    // Twelve people on a phone in landscape: three columns, four rows, taller than the stage.
    const g = stageLayout(12, 374, 200);
    expect(g).toMatchObject({ cols: 3, rows: 4, scroll: true });
    expect(g.width).toBeGreaterThanOrEqual(MIN_TILE_WIDTH);
    expect(g.height).toBeGreaterThanOrEqual(MIN_TILE_HEIGHT);
    expect(3 * g.width + 2 * 8).toBeLessThanOrEqual(374);
    expect(g.rows * g.height + (g.rows - 1) * 8).toBeGreaterThan(200);
    // The e2e rooms of eight in 400×300 windows keep every tile on screen.
    expect(stageLayout(8, 384, 185).scroll).toBe(false);
    // A stage narrower than one tile still shows tiles of the minimum size, one a row.
    expect(stageLayout(3, 80, 100)).toMatchObject({ cols: 1, rows: 3, width: MIN_TILE_WIDTH });
  });
});
