import { CHROMIUM, requireBinary } from './env';
import { expect, expectPeople, joinTogether, test } from './fixtures/parley';
import { connectedPeerCount } from './fixtures/stats';
import { outboundBytes, outboundVideo, videoSenderCaps } from './fixtures/path-stats';

/** Small windows: several people share two CPU cores. */
const small = { viewport: { width: 640, height: 480 } };

/** The SDK's default uplink budget (docs/QUALITY.md). */
const BUDGET_BPS = 2_500_000;

test('four people: each sender stays under the uplink budget, and caps rise again when people leave', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(180_000);
  requireBinary(CHROMIUM, 'Chromium');
  const server = await startServer();
  const names = ['Ana', 'Bo', 'Cy', 'Di'];
  const pages = await joinTogether(server, newPerson, 'budget-room', names, {}, small);
  for (const page of pages) {
    await expectPeople(page, names);
    await expect.poll(() => connectedPeerCount(page), { timeout: 60_000 }).toBe(3);
  }

  // Caps are set on every link: three copies each, so each is well under a third.
  for (const page of pages) {
    await expect
      .poll(async () => (await videoSenderCaps(page)).map((c) => c.maxBitrate ?? 0), {
        timeout: 20_000,
      })
      .toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);
    const caps = await videoSenderCaps(page);
    for (const c of caps) {
      expect(c.maxBitrate).toBeGreaterThan(0);
      expect(c.maxBitrate).toBeLessThanOrEqual(BUDGET_BPS / 3);
    }
  }

  // Let bandwidth estimation ramp up, then measure what each person actually uploads.
  await pages[0]!.waitForTimeout(8000);
  const before = await Promise.all(pages.map(outboundBytes));
  await pages[0]!.waitForTimeout(6000);
  const after = await Promise.all(pages.map(outboundBytes));
  for (const [i, name] of names.entries()) {
    const bps =
      ((after[i]!.bytes - before[i]!.bytes) * 8) / ((after[i]!.at - before[i]!.at) / 1000);
    console.log(`${name} uploads ${(bps / 1e6).toFixed(2)} Mbps to 3 peers`);
    expect(bps, `${name}'s total upload`).toBeLessThan(BUDGET_BPS);
    expect(bps, `${name} sends media at all`).toBeGreaterThan(50_000);
  }

  // Two leave: the two left raise their single remaining copy.
  const capBefore = (await videoSenderCaps(pages[0]!))[0]!.maxBitrate ?? 0;
  await pages[2]!.close();
  await pages[3]!.close();
  await expectPeople(pages[0]!, ['Ana', 'Bo']);
  await expect
    .poll(async () => (await videoSenderCaps(pages[0]!)).map((c) => c.maxBitrate ?? 0), {
      timeout: 20_000,
    })
    .toEqual([expect.any(Number)]);
  const capAfter = (await videoSenderCaps(pages[0]!))[0]!.maxBitrate ?? 0;
  expect(capAfter).toBeGreaterThan(capBefore);
  expect(capAfter).toBeLessThanOrEqual(BUDGET_BPS);
});

test('a tight server budget lowers resolution and frame rate, not just bitrate', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(120_000);
  requireBinary(CHROMIUM, 'Chromium');
  // 600 kbps for two copies: about 225 kbps of video each, which the plan sends at half
  // size and 24 fps (docs/QUALITY.md).
  const server = await startServer({ uplinkBudgetKbps: 600 });
  const names = ['Ana', 'Bo', 'Cy'];
  const pages = await joinTogether(server, newPerson, 'tight-room', names, {}, small);
  const camera = await pages[0]!.evaluate(async () => {
    const s = await navigator.mediaDevices.getUserMedia({ video: true });
    const { width, height } = s.getVideoTracks()[0]!.getSettings();
    s.getTracks().forEach((t) => t.stop());
    return { width: width ?? 0, height: height ?? 0 };
  });
  for (const page of pages) {
    await expectPeople(page, names);
    await expect.poll(() => connectedPeerCount(page), { timeout: 60_000 }).toBe(2);
  }
  for (const page of pages) {
    await expect
      .poll(async () => (await videoSenderCaps(page)).map((c) => c.scaleResolutionDownBy), {
        timeout: 20_000,
      })
      .toEqual([2, 2]);
    await expect
      .poll(async () => (await outboundVideo(page)).map((v) => v.width), { timeout: 20_000 })
      .toEqual([camera.width / 2, camera.width / 2]);
  }
  await pages[0]!.waitForTimeout(5000);
  const before = await Promise.all(pages.map(outboundBytes));
  await pages[0]!.waitForTimeout(6000);
  const after = await Promise.all(pages.map(outboundBytes));
  for (const [i, name] of names.entries()) {
    const bps =
      ((after[i]!.bytes - before[i]!.bytes) * 8) / ((after[i]!.at - before[i]!.at) / 1000);
    console.log(`${name} uploads ${(bps / 1e3).toFixed(0)} kbps to 2 peers (budget 600)`);
    expect(bps, `${name}'s total upload`).toBeLessThan(600_000);
    for (const v of await outboundVideo(pages[i]!)) {
      expect(v.fps).toBeLessThanOrEqual(25);
    }
  }
});
