import { describe, expect, it } from 'vitest';
import { cleanDisplayName, MAX_NAME_LENGTH } from './display-name';

describe('cleanDisplayName', () => {
  it('trims and drops control characters', () => {
    expect(cleanDisplayName('  Ada\u0000 Love\nlace\u007f ')).toBe('Ada Lovelace');
  });
  it('keeps names within the protocol limit', () => {
    expect(cleanDisplayName('x'.repeat(100))).toHaveLength(MAX_NAME_LENGTH);
  });
  it('leaves nothing for a blank name', () => {
    expect(cleanDisplayName(' \t ')).toBe('');
  });
});
