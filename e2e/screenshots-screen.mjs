#!/usr/bin/env node
// Screenshots of screen sharing and pinning at phone and desktop size:
// `node e2e/screenshots-screen.mjs` (after `node scripts/build.mjs --quiet`).
// Not a test: it asserts nothing, it only shows. Chromium's fake capture is the screen.
import { OUT, SIZES, launchChromium, pressControl, startServer } from './screenshot-kit.mjs';

const server = await startServer();
const browser = await launchChromium();
const link = (room, name) =>
  `${server.url}/r/${room}?name=${encodeURIComponent(name)}&audio=1&video=1`;
const shot = async (page, name) => {
  await page.screenshot({ path: `${OUT}${name}.png` });
  console.log(`docs/screenshots/${name}.png`);
};

for (const [size, viewport] of Object.entries(SIZES)) {
  const pages = [];
  for (const name of ['Ana', 'Bo', 'Cy']) {
    const ctx = await browser.newContext({ viewport, permissions: ['camera', 'microphone'] });
    const page = await ctx.newPage();
    await page.goto(link(`screen-${size}`, name));
    pages.push(page);
  }
  const [ana, bo] = pages;
  await ana.locator('[data-testid="tile"]').nth(2).waitFor({ timeout: 30_000 });
  await pressControl(bo, 'toggle-screen', 'screen');
  await ana.getByTestId('spotlight').waitFor({ timeout: 30_000 });
  await ana.waitForTimeout(3000);
  await shot(ana, `screen-share-${size}`);
  await shot(bo, `screen-share-sharer-${size}`);
  // Ana pins Cy: Cy takes the large spot for Ana, Bo's screen goes to the strip.
  await ana.locator('[data-testid="tile"][data-name="Cy"]').getByTestId('pin').click();
  await ana.waitForTimeout(2000);
  await shot(ana, `pin-${size}`);
  for (const p of pages) {
    await p.context().close();
  }
}

// A phone browser without getDisplayMedia: the button explains instead of failing.
{
  const ctx = await browser.newContext({
    viewport: SIZES.phone,
    permissions: ['camera', 'microphone'],
  });
  await ctx.addInitScript(() => {
    Object.defineProperty(MediaDevices.prototype, 'getDisplayMedia', { value: undefined });
  });
  const page = await ctx.newPage();
  await page.goto(link('screen-phone-unsupported', 'Ana'));
  await pressControl(page, 'toggle-screen', 'screen');
  await page.getByTestId('screen-notice').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1000);
  await shot(page, 'screen-unsupported-phone');
  await ctx.close();
}
await browser.close();
await server.close();
