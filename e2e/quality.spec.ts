import { CHROMIUM, requireBinary } from './env';
import { expect, expectPeople, roomLink, test, tileOf } from './fixtures/parley';
import { expectDecodingFromAll } from './fixtures/stats';

test('each remote tile shows a quality grade, and the details panel explains it in plain words', async ({
  startServer,
  newPerson,
}) => {
  requireBinary(CHROMIUM, 'Chromium');
  const server = await startServer();
  const ana = await newPerson();
  const bo = await newPerson();
  await ana.goto(roomLink(server, 'quality-room', 'Ana'));
  await bo.goto(roomLink(server, 'quality-room', 'Bo'));
  await expectPeople(ana, ['Ana', 'Bo']);
  await expectDecodingFromAll(ana, 1);

  // Only remote tiles carry an indicator (there is no connection to oneself).
  const indicator = tileOf(ana, 'Bo').getByTestId('quality');
  await expect(indicator).toHaveAttribute('data-grade', /^(good|fair|poor)$/);
  await expect(indicator).toHaveAttribute('data-path', 'direct');
  await expect(tileOf(ana, 'Ana').getByTestId('quality')).toHaveCount(0);

  await indicator.click();
  const details = ana.locator('[data-testid="quality-details"][data-name="Bo"]');
  await expect(details).toContainText('direct connection to Bo');
  // Real figures from getStats(): a round trip in ms and video arriving at a size.
  await expect(details).toContainText(/Round trip\s*\d+ ms/);
  await expect(details).toContainText(/Receiving\s*[\d.]+ (kbps|Mbps) · \d+×\d+/);
  await expect(details).toContainText(/Sending\s*[\d.]+ (kbps|Mbps)/);

  // When Bo's camera goes off the panel stops expecting video from him (no false stall).
  await bo.getByRole('button', { name: 'Turn off camera' }).click();
  await expect(tileOf(ana, 'Bo')).toHaveAttribute('data-camera-off', 'true');
  await ana.waitForTimeout(4500);
  await expect(details).not.toContainText('video is not arriving');
});
