#!/usr/bin/env node
// Screenshots of device choice, the mic test, noise suppression and the in-call
// settings, at phone and desktop size: `node e2e/screenshots-devices.mjs`.
// Not a test: it asserts nothing, it only shows.
import { SIZES, launchChromium, pressControl, startServer, shot } from './screenshot-kit.mjs';

const server = await startServer();
const browser = await launchChromium();

for (const [size, viewport] of Object.entries(SIZES)) {
  const ctx = await browser.newContext({ viewport, permissions: ['camera', 'microphone'] });
  const ada = await ctx.newPage();
  await ada.goto(`${server.url}/r/devices-${size}`);
  await ada.getByTestId('device-settings').waitFor();
  await ada.getByLabel('Your name').fill('Ada');
  await ada.getByTestId('noise-suppression').check();
  await ada.waitForSelector('[data-testid="noise-suppression"][data-state="running"]');
  await ada.getByTestId('mic-test-start').click();
  await ada.waitForTimeout(1200);
  await ada.getByTestId('device-settings').scrollIntoViewIfNeeded();
  await shot(ada, `devices-prejoin-${size}`);

  const otherCtx = await browser.newContext({ viewport, permissions: ['camera', 'microphone'] });
  const grace = await otherCtx.newPage();
  await grace.goto(`${server.url}/r/devices-${size}?name=Grace&audio=1&video=1`);
  await ada.waitForTimeout(3200);
  await ada.getByTestId('join').click();
  await ada.locator('[data-testid="tile"][data-name="Grace"] video').waitFor({ timeout: 30_000 });
  await pressControl(ada, 'open-settings', 'settings');
  await ada.waitForTimeout(1500);
  await shot(ada, `devices-call-settings-${size}`);
  await ctx.close();
  await otherCtx.close();
}
await browser.close();
await server.close();
