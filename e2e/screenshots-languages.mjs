#!/usr/bin/env node
// The same pages in English and in French, side by side in docs/UI.md (issue 15):
// landing, pre-join and a call of two with an emoji reaction in flight (the colour emoji
// font, fonts-noto-color-emoji, must be installed for it to show). The browser's locale
// picks the language, as it does for users: `node scripts/build.mjs &&
// node e2e/screenshots-languages.mjs`. Not a test: it asserts nothing, it only shows.
import { SIZES, launchChromium, shot, startServer } from './screenshot-kit.mjs';

const LOCALES = { en: 'en-US', fr: 'fr-FR' };

const server = await startServer();
const browser = await launchChromium();

async function open(url, viewport, locale) {
  const context = await browser.newContext({
    viewport,
    locale,
    permissions: ['camera', 'microphone'],
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

for (const [lang, locale] of Object.entries(LOCALES)) {
  for (const [size, viewport] of Object.entries(SIZES)) {
    const page = await open(server.url, viewport, locale);
    await page.locator('input[name="name"]').fill('Ada Lovelace');
    await page.waitForTimeout(500);
    await shot(page, `lang-${lang}-landing-${size}`);
    await page.locator('.landing__card .btn--primary').click();
    await page.getByTestId('join').waitFor();
    await page.locator('.prejoin__preview video').waitFor();
    await page.waitForTimeout(1500);
    await shot(page, `lang-${lang}-prejoin-${size}`);
    await page.context().close();

    // A call of two: Grace (small window, same language) reacts; Ada's page is shot.
    const room = `lang-${lang}-${size}`;
    const link = (name) => `${server.url}/r/${room}?name=${encodeURIComponent(name)}`;
    const grace = await open(link('Grace Hopper'), { width: 320, height: 240 }, locale);
    const ada = await open(link('Ada Lovelace'), viewport, locale);
    await ada.waitForFunction(() => document.querySelectorAll('[data-testid="tile"]').length === 2);
    await ada
      .waitForFunction(() => !document.querySelector('.tile__connection'), undefined, {
        timeout: 20_000,
      })
      .catch(() => undefined);
    await grace.getByTestId('reaction-toggle').click();
    await grace.getByTestId('reaction-emoji').nth(1).click();
    await ada.getByTestId('floating-reaction').first().waitFor();
    await ada.waitForTimeout(400);
    await shot(ada, `lang-${lang}-room-${size}`);
    await ada.context().close();
    await grace.context().close();
  }
}

await browser.close();
await server.close();
