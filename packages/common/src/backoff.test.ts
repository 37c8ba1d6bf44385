import { describe, expect, it } from 'vitest';
import { ExponentialBackoff } from './backoff.js';

describe('ExponentialBackoff', () => {
  it('doubles from 250 ms up to a 2.5 s cap, each delay jittered over the upper half', () => {
    const low = new ExponentialBackoff({ random: () => 0 });
    const high = new ExponentialBackoff({ random: () => 0.999999 });
    const caps = [250, 500, 1000, 2000, 2500, 2500];
    for (const [attempt, cap] of caps.entries()) {
      expect(low.nextDelayMs(attempt)).toBeCloseTo(cap / 2);
      expect(high.nextDelayMs(attempt)).toBeCloseTo(cap, 0);
    }
  });

  it('spreads a crowd: many clients do not retry at the same instant', () => {
    const policy = new ExponentialBackoff();
    const delays = Array.from({ length: 200 }, () => policy.nextDelayMs(4) as number);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(1250);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2500);
    // Full jitter over the window, not a handful of values.
    expect(new Set(delays.map((d) => Math.round(d / 50))).size).toBeGreaterThan(10);
  });

  it('gives up after maxAttempts when asked to, and never by default', () => {
    expect(new ExponentialBackoff({ maxAttempts: 3 }).nextDelayMs(3)).toBeNull();
    expect(new ExponentialBackoff().nextDelayMs(10_000)).not.toBeNull();
  });
});
