import { describe, expect, it } from 'vitest';
import { isLoud } from './use-speaking';

describe('isLoud', () => {
  it('treats silence and a quiet room as not speaking', () => {
    expect(isLoud(0)).toBe(false);
    expect(isLoud(0.001)).toBe(false); // -60 dBov
  });
  it('treats normal speech as speaking', () => {
    expect(isLoud(0.05)).toBe(true); // -26 dBov
    expect(isLoud(1)).toBe(true);
  });
});
