import { describe, expect, it } from 'vitest';
import { DEFAULT_UPLINK_BUDGET, planVideoCaps } from './uplink-plan.js';

describe('planVideoCaps', () => {
  it('keeps the sum of all copies (video and audio) under the budget as the room grows', () => {
    for (let peers = 1; peers <= 9; peers++) {
      const caps = planVideoCaps(peers);
      const total = peers * (caps.maxBitrate + DEFAULT_UPLINK_BUDGET.audioBpsPerPeer);
      expect(total).toBeLessThanOrEqual(DEFAULT_UPLINK_BUDGET.budgetBps);
    }
  });

  it('lowers resolution and frame rate with the bitrate, and raises them again', () => {
    const one = planVideoCaps(1);
    const three = planVideoCaps(3);
    const five = planVideoCaps(5);
    expect(one).toEqual({ maxBitrate: 1_500_000, scaleResolutionDownBy: 1, maxFramerate: 30 });
    expect(three.maxBitrate).toBeLessThan(one.maxBitrate);
    expect(five.scaleResolutionDownBy).toBeGreaterThan(one.scaleResolutionDownBy);
    expect(planVideoCaps(1)).toEqual(one); // a pure function of the room size
  });

  it('follows a configured budget and never goes below the floor', () => {
    const tight = { ...DEFAULT_UPLINK_BUDGET, budgetBps: 600_000 };
    const caps = planVideoCaps(3, tight);
    expect(3 * (caps.maxBitrate + tight.audioBpsPerPeer)).toBeLessThanOrEqual(600_000);
    expect(caps.maxFramerate).toBeLessThan(30);
    expect(planVideoCaps(20, tight).maxBitrate).toBe(tight.minVideoBpsPerPeer);
  });
});
