#!/usr/bin/env node
// Screenshots of every page at phone and desktop size, for docs/screenshots/ and for
// looking at the UI after a change: `node scripts/build.mjs && node e2e/screenshots.mjs`.
// Not a test: it asserts nothing, it only shows.
import { OUT, SIZES, launchChromium, startServer } from './screenshot-kit.mjs';

const server = await startServer();
const browser = await launchChromium();

async function open(url, viewport, options = {}) {
  const context = await browser.newContext({
    viewport,
    permissions: ['camera', 'microphone'],
    deviceScaleFactor: 1,
  });
  if (options.denyCamera) {
    await context.addInitScript(() => {
      const d = navigator.mediaDevices;
      const gum = d.getUserMedia.bind(d);
      d.getUserMedia = (c) =>
        c?.video ? Promise.reject(new DOMException('denied', 'NotAllowedError')) : gum(c);
    });
  }
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

const link = (room, name, q = '') => `${server.url}/r/${room}?name=${encodeURIComponent(name)}${q}`;
const shot = async (page, name) => {
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${OUT}${name}.png` });
  console.log(`docs/screenshots/${name}.png`);
};

for (const [size, viewport] of Object.entries(SIZES)) {
  const landing = await open(server.url, viewport);
  await landing.getByLabel('Your name').fill('Ada Lovelace');
  await shot(landing, `landing-${size}`);
  await landing.getByRole('button', { name: 'New room' }).click();
  await landing.getByLabel('Camera preview').locator('video').waitFor();
  await shot(landing, `prejoin-${size}`);
  await landing.context().close();
}

const others = [
  ['Grace Hopper', ''],
  ['Linus Torvalds', '&video=0'],
  ['Margaret Hamilton', '&audio=0'],
  ['Alan Turing', '&video=0&audio=0'],
  ['Barbara Liskov', '&video=0'],
];
for (const count of [1, 2, 4, 6]) {
  const room = `shots-${count}`;
  const guests = [];
  for (const [name, q] of others.slice(0, count - 1)) {
    guests.push(await open(link(room, name, q), { width: 320, height: 240 }));
  }
  for (const [size, viewport] of Object.entries(SIZES)) {
    const page = await open(link(room, 'Ada Lovelace'), viewport);
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="tile"]').length === n,
      count,
    );
    await page
      .waitForFunction(() => !document.querySelector('.tile__connection'), undefined, {
        timeout: 20_000,
      })
      .catch(() => undefined);
    await shot(page, `room-${count}-${size}`);
    if (count === 4) {
      await page.getByTestId('panel-people').click();
      await shot(page, `room-4-people-${size}`);
    }
    await page.context().close();
  }
  for (const g of guests) {
    await g.context().close();
  }
}

for (const [size, viewport] of Object.entries(SIZES)) {
  const guest = await open(link('shots-denied', 'Grace Hopper'), { width: 320, height: 240 });
  const page = await open(link('shots-denied', 'Ada Lovelace'), viewport, { denyCamera: true });
  await page.getByTestId('media-notice').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="tile"]').length === 2);
  await shot(page, `camera-denied-${size}`);
  await page.context().close();
  await guest.context().close();
}

const full = await startServer({ maxRoomSize: 1 });
const first = await open(`${full.url}/r/full?name=Grace&video=0`, { width: 320, height: 240 });
await first.getByTestId('tile').waitFor();
for (const [size, viewport] of Object.entries(SIZES)) {
  const page = await open(`${full.url}/r/full?name=Ada&video=0`, viewport);
  await page.getByTestId('room-error').waitFor();
  await shot(page, `room-full-${size}`);
  await page.context().close();
}

await browser.close();
await full.close();
await server.close();
