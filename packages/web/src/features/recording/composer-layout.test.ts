import { describe, expect, it } from 'vitest';
import { coverCrop, fitStage, tileOnCanvas } from './composer-layout';

describe('fitStage', () => {
  it('scales a wide stage to the canvas width and centres it vertically', () => {
    expect(
      fitStage({ x: 0, y: 50, width: 1920, height: 900 }, { width: 1280, height: 720 }),
    ).toEqual({ scale: 1280 / 1920, dx: 0, dy: (720 - 900 * (1280 / 1920)) / 2 });
  });

  it('scales a phone stage to the canvas height and centres it horizontally', () => {
    const fit = fitStage({ x: 0, y: 0, width: 390, height: 720 }, { width: 1280, height: 720 });
    expect(fit.scale).toBe(1);
    expect(fit.dx).toBe((1280 - 390) / 2);
    expect(fit.dy).toBe(0);
  });

  it('does not divide by zero for a stage that is not laid out', () => {
    expect(fitStage({ x: 0, y: 0, width: 0, height: 0 }, { width: 1280, height: 720 })).toEqual({
      scale: 1,
      dx: 0,
      dy: 0,
    });
  });
});

describe('tileOnCanvas', () => {
  it('maps a tile relative to the stage, scaled and offset', () => {
    const stage = { x: 10, y: 20, width: 640, height: 360 };
    const fit = fitStage(stage, { width: 1280, height: 720 });
    expect(tileOnCanvas({ x: 330, y: 20, width: 320, height: 180 }, stage, fit)).toEqual({
      x: 640,
      y: 0,
      width: 640,
      height: 360,
    });
  });
});

describe('coverCrop', () => {
  it('crops the sides of a wide frame for a square tile', () => {
    expect(coverCrop({ width: 640, height: 480 }, { width: 100, height: 100 })).toEqual({
      x: 80,
      y: 0,
      width: 480,
      height: 480,
    });
  });

  it('crops top and bottom of a tall frame for a wide tile', () => {
    expect(coverCrop({ width: 480, height: 640 }, { width: 160, height: 90 })).toEqual({
      x: 0,
      y: (640 - 270) / 2,
      width: 480,
      height: 270,
    });
  });

  it('draws the whole frame when either side has no size yet', () => {
    expect(coverCrop({ width: 0, height: 0 }, { width: 100, height: 100 })).toEqual({
      x: 0,
      y: 0,
      width: 0,
      height: 0,
    });
  });
});
