import { describe, expect, it } from 'vitest';
import { avatarHue, initials, peerConnectionToTile } from './tile-model';

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

describe('peerConnectionToTile', () => {
  it('maps every RTCPeerConnectionState', () => {
    expect(peerConnectionToTile('new')).toBe('connecting');
    expect(peerConnectionToTile('connecting')).toBe('connecting');
    expect(peerConnectionToTile('connected')).toBe('connected');
    expect(peerConnectionToTile('disconnected')).toBe('reconnecting');
    expect(peerConnectionToTile('failed')).toBe('failed');
    expect(peerConnectionToTile('closed')).toBe('failed');
  });
});

describe('avatarHue', () => {
  it('is stable and in range', () => {
    expect(avatarHue('abc')).toBe(avatarHue('abc'));
    expect(avatarHue('x'.repeat(100))).toBeLessThan(360);
  });
});
