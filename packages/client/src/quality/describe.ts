import type { PeerQuality, QualityIssue } from './types.js';

/**
 * Plain-words lines for a details panel ("relayed through TURN", "high packet loss
 * from Ana"). Lives in the SDK so that every UI words the same figures the same way.
 */
export function describeQuality(sample: PeerQuality, name: string): string[] {
  const lines: string[] = [];
  const issueText: Record<QualityIssue, string> = {
    'loss-in': `high packet loss from ${name}`,
    'loss-out': `high packet loss on the way to ${name}`,
    rtt: `long delay to ${name}`,
    jitter: `uneven packet timing from ${name} (audio may stutter)`,
    'video-stalled': `${name}'s video is not arriving`,
    'cpu-limited': 'your computer is busy, so your video is sent at lower quality',
    disconnected: `connection to ${name} lost, reconnecting…`,
  };
  for (const issue of sample.issues) {
    lines.push(issueText[issue]);
  }
  if (sample.path === 'relayed') {
    lines.push(
      `relayed through TURN${sample.relayProtocol ? ` (${sample.relayProtocol.toUpperCase()})` : ''}`,
    );
  } else if (sample.path === 'direct') {
    lines.push(`direct connection to ${name}`);
  }
  return lines;
}

/** "1.2 Mbps", "350 kbps". */
export function formatBitrate(bps: number): string {
  return bps >= 1_000_000
    ? `${(bps / 1_000_000).toFixed(1)} Mbps`
    : `${Math.round(bps / 1000)} kbps`;
}
