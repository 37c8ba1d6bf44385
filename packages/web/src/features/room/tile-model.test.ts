import { describe, expect, it } from 'vitest';
import { avatarHue, connectionToTile, initials } from './tile-model';

describe('initials', () => {
  it('takes the first and last word', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('  grace  brewster murray hopper ')).toBe('GH');
    expect(initials('Linus')).toBe('L');
  });
  it('keeps characters outside the BMP whole', () => {
    expect(initials('😀 Smile')).toBe('😀S');
  });
  it('never returns an empty avatar', () => {
    expect(initials('   ')).toBe('?');
  });
});

describe('connectionToTile', () => {
  it('maps every connection state', () => {
    expect(connectionToTile('connecting')).toBe('connecting');
    expect(connectionToTile('connected')).toBe('connected');
    expect(connectionToTile('reconnecting')).toBe('reconnecting');
    expect(connectionToTile('closed')).toBe('failed');
  });
});

describe('avatarHue', () => {
  it('is stable and in range', () => {
    expect(avatarHue('abc')).toBe(avatarHue('abc'));
    expect(avatarHue('x'.repeat(100))).toBeLessThan(360);
  });
});
