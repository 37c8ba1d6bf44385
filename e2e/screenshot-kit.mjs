// Shared by the screenshot scripts (e2e/screenshots*.mjs): where pictures go, the two
// sizes, a server serving the built web app, and Chromium with the project's flags.
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { createServer, loadConfig } from '../packages/server/dist/index.js';

export const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
export const SIZES = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1366, height: 768 },
};
mkdirSync(OUT, { recursive: true });

/** Save a screenshot of `page` as docs/screenshots/<name>.png and say so. */
export async function shot(page, name) {
  await page.screenshot({ path: `${OUT}${name}.png` });
  console.log(`docs/screenshots/${name}.png`);
}

const WEB_DIR = fileURLToPath(new URL('../packages/web/dist', import.meta.url));

/** A Parley server on a free port with the built web app and nothing kept on disk. */
export async function startServer(overrides = {}) {
  const server = await createServer(
    loadConfig(
      [],
      {},
      {
        port: 0,
        host: '127.0.0.1',
        webDir: WEB_DIR,
        dataDir: ':memory:',
        logLevel: 'silent',
        ...overrides,
      },
    ),
  );
  await server.listen();
  return server;
}

/** Debian's Chromium with the launch flags every browser run here uses (chromium.json). */
export function launchChromium() {
  const settings = JSON.parse(readFileSync(new URL('./chromium.json', import.meta.url), 'utf8'));
  return chromium.launch({
    executablePath: process.env.PARLEY_CHROMIUM ?? settings.executable,
    args: settings.args,
  });
}

/**
 * Press a call control: its own button where the bar shows it, else the same action in
 * More (on a phone, screen share, hand and settings live there).
 */
export async function pressControl(page, testId, moreId) {
  const button = page.getByTestId(testId);
  if (await button.isVisible()) {
    await button.click();
    return;
  }
  await page.getByTestId('more').click();
  await page.getByTestId(`more-${moreId}`).click();
}
