import { describe, expect, it } from 'vitest';
import { endedLabel, estimateLabel, parseInterests, waitingLabel } from './meet-labels';

describe('meet labels', () => {
  it('counts the people waiting, the reader included', () => {
    expect(waitingLabel(1)).toBe('Only you are waiting');
    expect(waitingLabel(3)).toBe('3 people waiting');
  });

  it('rounds the estimate the way a person would say it', () => {
    expect(estimateLabel(null)).toBeNull();
    expect(estimateLabel(200)).toBe('about 1 s');
    expect(estimateLabel(7_400)).toBe('about 7 s');
    expect(estimateLabel(12_600)).toBe('about 15 s');
    expect(estimateLabel(130_000)).toBe('about 2 min');
  });

  it('reads interests separated by commas or spaces, once each, lower case', () => {
    expect(parseInterests(' Chess, #jazz  chess,,Hiking ', 10)).toEqual([
      'chess',
      'jazz',
      'hiking',
    ]);
    expect(parseInterests('a b c d', 2)).toEqual(['a', 'b']);
    expect(parseInterests('   ', 5)).toEqual([]);
  });

  it('says how the other person ended the match, and nothing for our own choices', () => {
    expect(endedLabel('moved_on')).toBe('They moved on.');
    expect(endedLabel('next')).toBeNull();
    expect(endedLabel(null)).toBeNull();
  });
});
