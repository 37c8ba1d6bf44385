import type { QualityGrade, QualityIssue } from './types.js';

/**
 * Thresholds, from ITU-T G.114 (one-way delay under 150 ms is transparent, i.e. RTT
 * under ~300 ms) and the usual WebRTC rules of thumb: audio stays clear under 2–3% loss
 * with Opus FEC and falls apart past 10%; jitter buffers absorb ~30 ms easily.
 */
export const THRESHOLDS = {
  rttMs: { fair: 250, poor: 500 },
  lossPct: { fair: 3, poor: 10 },
  jitterMs: { fair: 30, poor: 80 },
} as const;

export interface GradeInput {
  connected: boolean;
  rttMs: number | null;
  lossInPct: number | null;
  lossOutPct: number | null;
  jitterMs: number | null;
  videoStalled: boolean;
  cpuLimited: boolean;
}

/** The worst of the individual grades, with the reasons that made it so. */
export function gradeQuality(input: GradeInput): { grade: QualityGrade; issues: QualityIssue[] } {
  if (!input.connected) {
    return { grade: 'poor', issues: ['disconnected'] };
  }
  const issues: QualityIssue[] = [];
  let worst: QualityGrade = 'good';
  const consider = (
    value: number | null,
    limits: { fair: number; poor: number },
    issue: QualityIssue,
  ): void => {
    if (value === null) {
      return;
    }
    if (value >= limits.poor) {
      worst = 'poor';
      issues.push(issue);
    } else if (value >= limits.fair) {
      if (worst === 'good') {
        worst = 'fair';
      }
      issues.push(issue);
    }
  };
  consider(input.lossInPct, THRESHOLDS.lossPct, 'loss-in');
  consider(input.lossOutPct, THRESHOLDS.lossPct, 'loss-out');
  consider(input.rttMs, THRESHOLDS.rttMs, 'rtt');
  consider(input.jitterMs, THRESHOLDS.jitterMs, 'jitter');
  if (input.videoStalled) {
    worst = 'poor';
    issues.push('video-stalled');
  }
  if (input.cpuLimited) {
    // Ours to fix, and the picture still flows: never worse than fair on its own.
    if (worst === 'good') {
      worst = 'fair';
    }
    issues.push('cpu-limited');
  }
  return { grade: worst, issues };
}
