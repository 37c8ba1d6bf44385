import { describe, expect, it } from 'vitest';
import { inviteLink, newRoomId, parseRoomInput, ROOM_ID_PATTERN } from './room-id';

describe('newRoomId', () => {
  it('encodes 128 random bits as 22 URL-safe characters', () => {
    const id = newRoomId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(ROOM_ID_PATTERN.test(id)).toBe(true);
  });

  it('uses every byte of randomness it is given', () => {
    const ones = newRoomId((b) => b.fill(0xff));
    const zeros = newRoomId((b) => b.fill(0));
    expect(ones).toBe('_____________________w');
    expect(zeros).toBe('AAAAAAAAAAAAAAAAAAAAAA');
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newRoomId()));
    expect(ids.size).toBe(1000);
  });
});

describe('parseRoomInput', () => {
  it('accepts a bare id', () => {
    expect(parseRoomInput('  team-standup_1 ')).toBe('team-standup_1');
  });
  it('reads the id out of an invite link from any host', () => {
    expect(parseRoomInput('https://meet.example.org/r/AbC-9_x?name=Ann&audio=1')).toBe('AbC-9_x');
    expect(parseRoomInput('http://192.168.1.4:3000/r/abc#x')).toBe('abc');
    expect(parseRoomInput('/r/abc/')).toBe('abc');
  });
  it('refuses what is not a room', () => {
    expect(parseRoomInput('')).toBeNull();
    expect(parseRoomInput('hello world')).toBeNull();
    expect(parseRoomInput('https://example.org/about')).toBeNull();
    expect(parseRoomInput('https://example.org/r/bad%20id')).toBeNull();
    expect(parseRoomInput('x'.repeat(65))).toBeNull();
  });
});

describe('inviteLink', () => {
  it('is the room path on the given origin', () => {
    expect(inviteLink('abc', 'https://meet.example.org')).toBe('https://meet.example.org/r/abc');
  });
});
