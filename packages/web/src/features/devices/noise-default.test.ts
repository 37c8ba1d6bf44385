import { describe, expect, it } from 'vitest';
import { MIN_CORES_FOR_DEFAULT, suppressionByDefault } from './noise-default';

describe('suppressionByDefault', () => {
  it('is on with enough cores and AudioWorklet, off otherwise', () => {
    expect(suppressionByDefault(MIN_CORES_FOR_DEFAULT, true)).toBe(true);
    expect(suppressionByDefault(8, true)).toBe(true);
    expect(suppressionByDefault(MIN_CORES_FOR_DEFAULT - 1, true)).toBe(false);
    expect(suppressionByDefault(undefined, true)).toBe(false);
    expect(suppressionByDefault(8, false)).toBe(false);
  });
});
