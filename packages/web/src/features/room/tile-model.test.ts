import { describe, expect, it } from 'vitest';
import type { Participant } from '@parley/client';
import { avatarHue, connectionToTile, initials, remoteTile } from './tile-model';

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

describe('remoteTile', () => {
  const track = { kind: 'video', id: 'v1' } as MediaStreamTrack;
  const person = (connection: Participant['connection'], video = true): Participant =>
    ({
      id: 'p1',
      name: 'Ada',
      connection,
      media: { audio: true, video },
      tracks: { video: track },
    }) as unknown as Participant;

  it('attaches the video while the path comes up, and shows it once it is up', () => {
    // Waiting: the <video> is made and fed now (its first frame draws at once later),
    // the initials cover it.
    expect(remoteTile(person('connecting'))).toMatchObject({ videoOn: false, videoWaiting: true });
    expect(remoteTile(person('connected'))).toMatchObject({ videoOn: true, videoWaiting: false });
    expect(remoteTile(person('reconnecting'))).toMatchObject({
      videoOn: true,
      videoWaiting: false,
    });
  });

  it('attaches nothing for a camera that is off', () => {
    expect(remoteTile(person('connecting', false))).toMatchObject({
      videoOn: false,
      videoWaiting: false,
    });
    expect(remoteTile(person('connected', false))).toMatchObject({
      videoOn: false,
      videoWaiting: false,
    });
  });
});
