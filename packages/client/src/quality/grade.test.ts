import { describe, expect, it } from 'vitest';
import { gradeQuality, type GradeInput } from './grade.js';
import { describeQuality } from './describe.js';
import type { PeerQuality } from './types.js';

const fine: GradeInput = {
  connected: true,
  rttMs: 40,
  lossInPct: 0,
  lossOutPct: 0.5,
  jitterMs: 5,
  videoStalled: false,
  cpuLimited: false,
};

describe('gradeQuality', () => {
  it('grades by the worst figure and names every reason', () => {
    expect(gradeQuality(fine)).toEqual({ grade: 'good', issues: [] });
    expect(gradeQuality({ ...fine, rttMs: 300 })).toEqual({ grade: 'fair', issues: ['rtt'] });
    expect(gradeQuality({ ...fine, lossInPct: 12, jitterMs: 40 })).toEqual({
      grade: 'poor',
      issues: ['loss-in', 'jitter'],
    });
    expect(gradeQuality({ ...fine, videoStalled: true }).grade).toBe('poor');
    expect(gradeQuality({ ...fine, cpuLimited: true }).grade).toBe('fair');
    expect(gradeQuality({ ...fine, connected: false })).toEqual({
      grade: 'poor',
      issues: ['disconnected'],
    });
    // Unknown figures (first sample) do not count against the call.
    expect(gradeQuality({ ...fine, rttMs: null, lossInPct: null }).grade).toBe('good');
  });

  it('words a sample in plain language', () => {
    const sample = {
      issues: ['loss-in'],
      path: 'relayed',
      relayProtocol: 'udp',
    } as Pick<PeerQuality, 'issues' | 'path' | 'relayProtocol'> as PeerQuality;
    expect(describeQuality(sample, 'Ana')).toEqual([
      'high packet loss from Ana',
      'relayed through TURN (UDP)',
    ]);
  });
});
