import { describe, expect, it } from 'vitest';
import { pickRecordingType, recordingFileName } from './recording-format';

describe('pickRecordingType', () => {
  it('prefers vp8 (cheaper to encode), then vp9, then plain webm', () => {
    expect(pickRecordingType(() => true)).toBe('video/webm;codecs=vp8,opus');
    expect(pickRecordingType((t) => !t.includes('vp8'))).toBe('video/webm;codecs=vp9,opus');
    expect(pickRecordingType((t) => t === 'video/webm')).toBe('video/webm');
    expect(pickRecordingType(() => false)).toBeNull();
  });
});

describe('recordingFileName', () => {
  it('names the room and the local date and time', () => {
    expect(recordingFileName('standup', new Date(2026, 10, 7, 9, 5))).toBe(
      'parley-standup-2026-11-07-0905.webm',
    );
  });

  it('keeps a heading with spaces file-safe', () => {
    expect(recordingFileName('Meet someone new', new Date(2026, 0, 1, 0, 0))).toBe(
      'parley-Meet-someone-new-2026-01-01-0000.webm',
    );
  });
});
