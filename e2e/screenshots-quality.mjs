#!/usr/bin/env node
// Screenshots of the quality indicator, the connection details panel and a tile
// reconnecting, at phone and desktop size: `node e2e/screenshots-quality.mjs`.
// Not a test: it asserts nothing, it only shows. Needs coturn (relay-only call).
import { OUT, SIZES, launchChromium, startServer } from './screenshot-kit.mjs';

// The fixture is TypeScript; run this script with a TS-aware loader, or start coturn
// yourself and pass PARLEY_TEST_TURN_URL / PARLEY_TEST_TURN_SECRET.
const turnUrl = process.env.PARLEY_TEST_TURN_URL;
const turnSecret = process.env.PARLEY_TEST_TURN_SECRET;
const server = await startServer(
  turnUrl ? { turnUrls: [turnUrl], turnSecret, iceTransportPolicy: 'relay' } : {},
);
const browser = await launchChromium();
const link = (room, name) =>
  `${server.url}/r/${room}?name=${encodeURIComponent(name)}&audio=1&video=1`;

for (const [size, viewport] of Object.entries(SIZES)) {
  const pages = [];
  for (const name of ['Ana', 'Bo', 'Cy']) {
    const ctx = await browser.newContext({ viewport, permissions: ['camera', 'microphone'] });
    const page = await ctx.newPage();
    await page.goto(link(`quality-${size}`, name));
    pages.push(page);
  }
  const ana = pages[0];
  await ana.getByTestId('quality').nth(1).waitFor({ timeout: 30_000 });
  await ana.waitForTimeout(4500);
  await ana.screenshot({ path: `${OUT}quality-tiles-${size}.png` });
  console.log(`docs/screenshots/quality-tiles-${size}.png`);
  await ana.getByTestId('quality').first().click();
  await ana.waitForTimeout(2500);
  await ana.screenshot({ path: `${OUT}quality-details-${size}.png` });
  console.log(`docs/screenshots/quality-details-${size}.png`);
  for (const p of pages) {
    await p.context().close();
  }
}
await browser.close();
await server.close();
