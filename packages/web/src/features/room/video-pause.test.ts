import { describe, expect, it } from 'vitest';
import { stepVideoPause, wantsVideo } from './video-pause';

/** A room that records what it was asked; `canPause` false stands for a mesh. */
function room(canPause = true) {
  const asked: string[] = [];
  return {
    asked,
    setVideoPaused: (id: string, paused: boolean): boolean => {
      asked.push(`${id}:${paused}`);
      return canPause;
    },
  };
}

describe('wantsVideo', () => {
  it('wants the video of a tile on screen in a shown page only', () => {
    expect(wantsVideo('a', new Set(), true)).toBe(true);
    expect(wantsVideo('a', new Set(['a']), true)).toBe(false);
    expect(wantsVideo('a', new Set(['b']), false)).toBe(false);
  });
});

describe('stepVideoPause', () => {
  const tiles = [
    { id: 'ana', trackId: 't1' },
    { id: 'ben', trackId: 't2' },
  ];

  it('resumes at once, pauses only on the delayed pass, and asks nothing twice', () => {
    const r = room();
    const applied = new Map<string, string>();
    const off = (id: string): boolean => id === 'ben';
    // The immediate pass: Ana's video comes anyway (nothing to say), Ben's pause waits.
    expect([...stepVideoPause(tiles, off, applied, false, r.setVideoPaused)]).toEqual([]);
    expect(r.asked).toEqual([]);
    // The delayed pass pauses Ben; the tile says so.
    expect([...stepVideoPause(tiles, off, applied, true, r.setVideoPaused)]).toEqual(['ben']);
    expect(r.asked).toEqual(['ben:true']);
    expect([...stepVideoPause(tiles, off, applied, true, r.setVideoPaused)]).toEqual(['ben']);
    expect(r.asked).toHaveLength(1);
    // Ben back on screen: resumed on the immediate pass.
    expect([...stepVideoPause(tiles, () => false, applied, false, r.setVideoPaused)]).toEqual([]);
    expect(r.asked.at(-1)).toBe('ben:false');
  });

  it('asks afresh for a new track (after a switch) and forgets those who left', () => {
    const r = room();
    const applied = new Map<string, string>();
    stepVideoPause(tiles, () => true, applied, true, r.setVideoPaused);
    r.asked.length = 0;
    const switched = [{ id: 'ana', trackId: 't3' }];
    expect([...stepVideoPause(switched, () => true, applied, true, r.setVideoPaused)]).toEqual([
      'ana',
    ]);
    expect(r.asked).toEqual(['ana:true']);
    expect([...applied.keys()]).toEqual(['ana']);
  });

  it('never shows a video as paused where the room cannot pause it (a mesh)', () => {
    const r = room(false);
    const applied = new Map<string, string>();
    expect(stepVideoPause(tiles, () => true, applied, true, r.setVideoPaused).size).toBe(0);
    expect(applied.size).toBe(0);
  });
});
