#!/usr/bin/env node
// Screenshots of raise hand, the recording badge and status, the More menu and the
// keyboard shortcuts, at phone and desktop size: `node e2e/screenshots-meeting.mjs`.
// Not a test: it asserts nothing, it only shows.
import { SIZES, launchChromium, pressControl, startServer, shot } from './screenshot-kit.mjs';

const server = await startServer();
const browser = await launchChromium();

for (const [size, viewport] of Object.entries(SIZES)) {
  const pages = [];
  for (const name of ['Ana', 'Bo']) {
    const ctx = await browser.newContext({ viewport, permissions: ['camera', 'microphone'] });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/r/meeting-${size}?name=${name}`);
    pages.push(page);
  }
  const [ana, bo] = pages;
  await ana.locator('[data-testid="tile"][data-name="Bo"] video').waitFor({ timeout: 30_000 });
  // Bo raises his hand and records; Ana sees both.
  await pressControl(bo, 'toggle-hand', 'hand');
  await bo.getByTestId('more').click();
  await bo.getByTestId('more-record').click();
  await ana.getByTestId('hand').first().waitFor({ timeout: 15_000 });
  await ana.waitForTimeout(2500);
  await shot(ana, `meeting-hand-recording-${size}`);
  await shot(bo, `meeting-recorder-${size}`);
  await ana.getByTestId('more').click();
  await ana.waitForTimeout(300);
  await shot(ana, `meeting-more-${size}`);
  await ana.keyboard.press('Escape');
  await ana.keyboard.press('?');
  await ana.waitForTimeout(500);
  await shot(ana, `meeting-shortcuts-${size}`);
  for (const p of pages) {
    await p.context().close();
  }
}
await browser.close();
await server.close();
