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

/** "1.2 Mbps" / "1,2 Mbit/s", "350 kbps" / "350 kbit/s" (units as each language writes them). */
export function formatBitrate(bps: number, { t, number }: I18n): string {
  return bps >= 1_000_000
    ? t('quality.mbps', {
        n: number(bps / 1_000_000, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
      })
    : t('quality.kbps', { n: number(Math.round(bps / 1000)) });
}
