import { describe, expect, it } from 'vitest';
import { parseDirectJoin } from './direct-link';

const parse = (q: string) => parseDirectJoin(new URLSearchParams(q));

describe('parseDirectJoin', () => {
  it('joins with both devices on by default', () => {
    expect(parse('name=Ada')).toEqual({ name: 'Ada', audio: true, video: true });
  });
  it('reads audio and video switches', () => {
    expect(parse('name=Ada&audio=0&video=1')).toEqual({ name: 'Ada', audio: false, video: true });
    expect(parse('name=Ada&audio=on&video=false')).toEqual({
      name: 'Ada',
      audio: true,
      video: false,
    });
    expect(parse('name=Ada&video=NO')).toMatchObject({ video: false });
  });
  it('decodes and cleans the name', () => {
    expect(parse('name=%20Grace%20Hopper%0A')).toMatchObject({ name: 'Grace Hopper' });
  });
  it('goes through pre-join without a usable name', () => {
    expect(parse('')).toBeNull();
    expect(parse('name=')).toBeNull();
    expect(parse('name=%20%20&audio=1')).toBeNull();
  });
});
