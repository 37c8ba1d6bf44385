import { describe, expect, it } from 'vitest';
import { nextActiveSpeaker } from './active-speaker';

describe('nextActiveSpeaker', () => {
  it('is nobody in a quiet room', () => {
    expect(nextActiveSpeaker(null, new Set(), 'self')).toBeNull();
    expect(nextActiveSpeaker('a', new Set(), 'self')).toBeNull();
  });

  it('keeps the highlight with the current speaker while they speak', () => {
    expect(nextActiveSpeaker('b', new Set(['a', 'b']), 'self')).toBe('b');
    expect(nextActiveSpeaker('self', new Set(['self', 'a']), 'self')).toBe('self');
  });

  it('moves to another speaker when the current one stops, remote before self', () => {
    expect(nextActiveSpeaker('b', new Set(['self', 'a']), 'self')).toBe('a');
    expect(nextActiveSpeaker(null, new Set(['self']), 'self')).toBe('self');
  });
});
