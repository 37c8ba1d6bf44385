import type { PeerQuality, QualityGrade, QualityIssue } from '@parley/client';
import type { I18n, MessageKey } from '../../i18n/i18n';

const ISSUE: Record<QualityIssue, MessageKey> = {
  'loss-in': 'quality.issue.lossIn',
  'loss-out': 'quality.issue.lossOut',
  rtt: 'quality.issue.rtt',
  jitter: 'quality.issue.jitter',
  'video-stalled': 'quality.issue.videoStalled',
  'cpu-limited': 'quality.issue.cpuLimited',
  disconnected: 'quality.issue.disconnected',
};

export const GRADE: Record<QualityGrade, MessageKey> = {
  good: 'quality.grade.good',
  fair: 'quality.grade.fair',
  poor: 'quality.grade.poor',
};

/**
 * One person's connection in plain words: each issue the SDK found (stable codes), then
 * how the media flows. The web words them, so they follow the active language.
 */
export function describeQuality(sample: PeerQuality, name: string, { t }: I18n): string[] {
  const lines = sample.issues.map((issue) => t(ISSUE[issue], { name }));
  if (sample.path === 'relayed') {
    lines.push(
      sample.relayProtocol
        ? t('quality.path.relayedOver', { protocol: sample.relayProtocol.toUpperCase() })
        : t('quality.path.relayed'),
    );
  } else if (sample.path === 'direct') {
    lines.push(t('quality.path.direct', { name }));
  }
  return lines;
}

/** "1.2 Mbit/s" / "1,2 Mbit/s", "350 kbit/s". */
export function formatBitrate(bps: number, i18n: I18n): string {
  return bps >= 1_000_000
    ? i18n.number(bps / 1_000_000, {
        style: 'unit',
        unit: 'megabit-per-second',
        maximumFractionDigits: 1,
        minimumFractionDigits: 1,
      })
    : i18n.number(Math.round(bps / 1000), { style: 'unit', unit: 'kilobit-per-second' });
}
