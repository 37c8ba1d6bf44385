import { describe, expect, it } from 'vitest';
import { formatDuration, outcomeLabel, statusLabel } from './call-labels';

describe('call labels', () => {
  it('formats durations', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(65)).toBe('01:05');
    expect(formatDuration(3600 + 61)).toBe('1:01:01');
  });

  it('names every outcome', () => {
    expect(outcomeLabel('declined', 'ada', 0)).toBe('ada declined the call');
    expect(outcomeLabel('hangup', 'ada', 75)).toBe('Call with ada ended · 01:15');
    expect(outcomeLabel('no_answer', 'ada', 0)).toContain('did not answer');
    expect(outcomeLabel('answered_elsewhere', 'ada', 0, true)).toBe(
      'Call from ada answered on another device',
    );
    expect(outcomeLabel('cancelled', 'ada', 0, true)).toBe('Missed call from ada');
  });

  it('follows the call and the connection', () => {
    expect(statusLabel('ringing', 'caller', 'new')).toBe('Ringing…');
    expect(statusLabel('active', 'caller', 'connecting')).toBe('Connecting…');
    expect(statusLabel('active', 'callee', 'connected')).toBe('Connected');
    expect(statusLabel('active', 'callee', 'reconnecting')).toContain('reconnecting');
  });
});
