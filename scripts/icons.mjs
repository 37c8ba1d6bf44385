// Renders packages/web/public/icons/parley.svg to the PNG sizes the web manifest lists
// (192 and 512), with Debian's Chromium. The PNGs are committed: run this after
// changing the SVG (`node scripts/icons.mjs`, under the browser lock on a shared machine).
import { readFileSync, writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

const root = new URL('../', import.meta.url);
const { executable } = JSON.parse(readFileSync(new URL('e2e/chromium.json', root), 'utf8'));
const svg = readFileSync(new URL('packages/web/public/icons/parley.svg', root), 'utf8');

const browser = await chromium.launch({
  executablePath: process.env.PARLEY_CHROMIUM ?? executable,
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`,
    );
    const png = await page.screenshot({ omitBackground: true });
    writeFileSync(new URL(`packages/web/public/icons/parley-${size}.png`, root), png);
    await page.close();
  }
} finally {
  await browser.close();
}
