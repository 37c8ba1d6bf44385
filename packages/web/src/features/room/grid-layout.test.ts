import { describe, expect, it } from 'vitest';
import { bestGrid } from './grid-layout';

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
