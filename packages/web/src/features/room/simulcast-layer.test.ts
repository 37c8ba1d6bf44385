import { describe, expect, it } from 'vitest';
import { bestGrid } from './grid-layout';
import { layerForTile } from './simulcast-layer';

describe('layerForTile', () => {
  it('gives a large tile the full layer, a grid tile the middle one, a small one the lowest', () => {
    expect(layerForTile(1280, 720)).toBe(2);
    expect(layerForTile(480, 360)).toBe(2);
    expect(layerForTile(320, 240)).toBe(1);
    expect(layerForTile(200, 150)).toBe(0);
    expect(layerForTile(0, 0)).toBe(0);
  });

  it('follows the grid: two people on a laptop get the full layer, eight on a phone the lowest', () => {
    const two = bestGrid(2, 1280, 640);
    expect(layerForTile(two.width, two.height)).toBe(2);
    const nine = bestGrid(9, 1280, 640);
    expect(layerForTile(nine.width, nine.height)).toBe(1);
    const phone = bestGrid(8, 360, 560);
    expect(layerForTile(phone.width, phone.height)).toBe(0);
  });
});
