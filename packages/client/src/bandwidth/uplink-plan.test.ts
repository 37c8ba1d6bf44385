import { describe, expect, it } from 'vitest';
import { DEFAULT_UPLINK_BUDGET, planShareCaps, planVideoCaps } from './uplink-plan.js';

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

describe('planShareCaps', () => {
  it('gives a shared screen most of the video share and keeps the sum in the budget', () => {
    for (const peers of [1, 2, 4]) {
      const alone = planVideoCaps(peers);
      const { camera, screen } = planShareCaps(peers);
      expect(screen.maxBitrate).toBeGreaterThan(camera.maxBitrate);
      expect(camera.maxBitrate).toBeLessThan(alone.maxBitrate);
      expect(camera.maxBitrate + screen.maxBitrate).toBeLessThanOrEqual(alone.maxBitrate);
      // Text: few frames a second, never more than 15.
      expect(screen.maxFramerate).toBeGreaterThanOrEqual(5);
      expect(screen.maxFramerate).toBeLessThanOrEqual(15);
    }
  });

  it('lowers the screen frame rate, not its resolution, when bits are short', () => {
    const roomy = planShareCaps(1);
    const tight = planShareCaps(4, { ...DEFAULT_UPLINK_BUDGET, budgetBps: 800_000 });
    expect(roomy.screen.maxFramerate).toBe(15);
    expect(tight.screen.maxFramerate).toBeLessThan(roomy.screen.maxFramerate);
    expect(tight.camera.scaleResolutionDownBy).toBeGreaterThan(1);
  });
});
