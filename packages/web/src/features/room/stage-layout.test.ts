import { describe, expect, it } from 'vitest';
import { arrangeStage, fitWide, stripSide } from './stage-layout';
import type { TileModel } from './tile-model';

function tile(id: string, kind: 'camera' | 'screen' = 'camera'): TileModel {
  return {
    id,
    kind,
    name: id,
    isSelf: id === 'self',
    video: null,
    audioOn: true,
    videoOn: true,
    videoWaiting: false,
    connection: 'connected',
    speaking: false,
    activeSpeaker: false,
    hand: false,
    recording: false,
    videoPaused: false,
  };
}

const ids = (ts: readonly TileModel[]) => ts.map((t) => t.id);

describe('arrangeStage', () => {
  const people = [tile('self'), tile('ana'), tile('ben')];

  it('is a grid when nobody shares and nothing is pinned', () => {
    const stage = arrangeStage(people, null, []);
    expect(stage.mode).toBe('grid');
    expect(stage.mode === 'grid' && ids(stage.tiles)).toEqual(['self', 'ana', 'ben']);
  });

  it('puts a screen share in the spotlight with everyone in the strip', () => {
    const stage = arrangeStage([...people, tile('ana:screen', 'screen')], null, ['ana:screen']);
    expect(stage.mode).toBe('spotlight');
    if (stage.mode === 'spotlight') {
      expect(stage.main.id).toBe('ana:screen');
      expect(ids(stage.strip)).toEqual(['self', 'ana', 'ben']);
    }
  });

  it('shows the latest of several shares large, the others first in the strip', () => {
    const tiles = [...people, tile('ana:screen', 'screen'), tile('ben:screen', 'screen')];
    const stage = arrangeStage(tiles, null, ['ben:screen', 'ana:screen']);
    expect(stage.mode === 'spotlight' && stage.main.id).toBe('ana:screen');
    expect(stage.mode === 'spotlight' && ids(stage.strip)).toEqual([
      'ben:screen',
      'self',
      'ana',
      'ben',
    ]);
    // A share that just arrived and is not ordered yet counts as the newest.
    const fresh = arrangeStage(tiles, null, ['ben:screen']);
    expect(fresh.mode === 'spotlight' && fresh.main.id).toBe('ana:screen');
  });

  it('gives the large spot to a pinned tile, over a share, and back on unpin', () => {
    const tiles = [...people, tile('ana:screen', 'screen')];
    const pinned = arrangeStage(tiles, 'ben', ['ana:screen']);
    expect(pinned.mode === 'spotlight' && pinned.main.id).toBe('ben');
    expect(pinned.mode === 'spotlight' && ids(pinned.strip)).toEqual(['ana:screen', 'self', 'ana']);
    expect(arrangeStage(tiles, null, ['ana:screen']).mode).toBe('spotlight');
    const noShare = arrangeStage(people, 'ana', []);
    expect(noShare.mode === 'spotlight' && noShare.main.id).toBe('ana');
    expect(arrangeStage(people, null, []).mode).toBe('grid');
  });

  it('ignores a pin on someone who left', () => {
    expect(arrangeStage(people, 'gone', []).mode).toBe('grid');
  });
});

describe('spotlight geometry', () => {
  it('fits a 16:9 tile and puts the strip beside it only on wide stages', () => {
    expect(fitWide(1600, 600)).toEqual({ width: 1066, height: 600 });
    expect(fitWide(360, 600)).toEqual({ width: 360, height: 202 });
    expect(stripSide(1280, 600)).toBe('right');
    expect(stripSide(390, 700)).toBe('bottom');
  });
});
