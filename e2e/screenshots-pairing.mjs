#!/usr/bin/env node
// Screenshots of /meet and /board at phone and desktop size, for docs/screenshots/:
// `node scripts/build.mjs && node e2e/screenshots-pairing.mjs`. Asserts nothing.
import { OUT, SIZES, launchChromium, startServer } from './screenshot-kit.mjs';

const server = await startServer({ meetAnyoneAfterMs: 500 });
const browser = await launchChromium();

async function open(path, viewport) {
  const context = await browser.newContext({
    viewport,
    permissions: ['camera', 'microphone'],
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  return page;
}
const shot = async (page, name) => {
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${OUT}${name}.png` });
  console.log(`docs/screenshots/${name}.png`);
};
const small = { width: 320, height: 240 };

for (const [size, viewport] of Object.entries(SIZES)) {
  // Meet: the start form, waiting, and a call with Next, Report and Block.
  const page = await open('/meet', viewport);
  await page.getByLabel('Your name').fill('Ada Lovelace');
  await page.getByLabel('Interests (optional)').fill('chess, jazz, hiking');
  await page.getByLabel('Camera preview').locator('video').waitFor();
  await shot(page, `meet-${size}`);
  await page.getByTestId('meet-start').click();
  await page.getByTestId('meet-queue').getByText('waiting').waitFor();
  await shot(page, `meet-waiting-${size}`);
  const other = await open('/meet', small);
  await other.getByLabel('Your name').fill('Grace Hopper');
  await other.getByLabel('Interests (optional)').fill('jazz');
  await other.getByTestId('meet-start').click();
  await page.getByTestId('meet-next').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('video').length >= 2, null, {
    timeout: 90_000,
  });
  await shot(page, `meet-call-${size}`);
  await page.getByTestId('meet-report').click({ timeout: 60_000 });
  await page.getByLabel('Spam or advertising').check();
  await shot(page, `meet-report-${size}`);
  await other.context().close();
  await page.context().close();

  // The board: two open calls from others, and our own.
  const posters = [];
  for (const [name, topic, audioOnly] of [
    ['Grace Hopper', 'Anyone up for a chat about jazz?', false],
    ['Linus Torvalds', 'Practising my French: parlons un peu !', true],
  ]) {
    const p = await open('/board', small);
    await p.getByLabel('Your name').fill(name);
    await p.getByTestId('board-topic').fill(topic);
    if (audioOnly) {
      await p.getByLabel('Voice only').check();
    }
    await p.getByTestId('board-post').click();
    await p.getByTestId('board-withdraw').waitFor();
    posters.push(p);
  }
  const board = await open('/board', viewport);
  await board.getByLabel('Your name').fill('Ada Lovelace');
  await board.getByTestId('board-topic').fill('Rubber-duck my bug with me');
  await board.getByTestId('board-post').click();
  await board.getByTestId('board-withdraw').waitFor();
  await shot(board, `board-${size}`);
  for (const p of posters) {
    await p.context().close();
  }
  await board.context().close();
}

await browser.close();
await server.close();
