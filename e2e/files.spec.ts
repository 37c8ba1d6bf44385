import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { ParleyServer } from '../packages/server/dist/index.js';
import { expect, expectPeople, joinTogether, test, tileOf, type Fixtures } from './fixtures/parley';

const QUIET = { audio: false, video: false };

async function openFiles(page: Page): Promise<void> {
  await page.getByTestId('panel-files').click();
  await expect(page.getByTestId('files-panel')).toBeVisible();
}

/** Ada and Grace in `room`, without devices, their peer connection up (file channels need it). */
async function connectedPair(
  server: ParleyServer,
  newPerson: Fixtures['newPerson'],
  room: string,
): Promise<[Page, Page]> {
  const [ada, grace] = (await joinTogether(server, newPerson, room, ['Ada', 'Grace'], QUIET)) as [
    Page,
    Page,
  ];
  await expectPeople(ada, ['Ada', 'Grace']);
  await expect(tileOf(ada, 'Grace')).toHaveAttribute('data-connection', 'connected', {
    timeout: 30_000,
  });
  return [ada, grace];
}

test('a 20 MB file reaches two receivers with a matching SHA-256', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(180_000);
  const server = await startServer({ dataDir: ':memory:' });
  const names = ['Ada', 'Grace', 'Linus'];
  const pages = await joinTogether(server, newPerson, 'files-room', names, QUIET);
  const [ada, grace, linus] = pages as [Page, Page, Page];
  for (const page of pages) {
    await expectPeople(page, names);
  }
  for (const [page, other] of [
    [ada, 'Grace'],
    [ada, 'Linus'],
  ] as const) {
    await expect(tileOf(page, other)).toHaveAttribute('data-connection', 'connected', {
      timeout: 30_000,
    });
  }
  const content = randomBytes(20 * 1024 * 1024);
  const sha256 = createHash('sha256').update(content).digest('hex');

  await openFiles(ada);
  await ada.getByTestId('file-input').setInputFiles({
    name: 'big.bin',
    mimeType: 'application/octet-stream',
    buffer: content,
  });
  const outgoing = ada.locator('[data-testid="file-transfer"][data-direction="out"]');
  await expect(outgoing).toHaveCount(2);
  await expect(outgoing.first()).toHaveAttribute('data-sha256', sha256);

  for (const page of [grace, linus]) {
    // The offer shows as a badge on the Files button before the panel is open.
    await expect(
      page.locator('.control-wrap', { has: page.getByTestId('panel-files') }),
    ).toContainText('1');
    await openFiles(page);
    const offer = page.locator('[data-testid="file-transfer"][data-direction="in"]');
    await expect(offer).toHaveAttribute('data-state', 'offered');
    await expect(offer).toContainText('big.bin');
    await expect(offer).toContainText('from Ada');
    await offer.getByTestId('file-accept').click();
  }
  for (const page of [grace, linus]) {
    const incoming = page.locator('[data-testid="file-transfer"][data-direction="in"]');
    await expect(incoming).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      incoming.getByTestId('file-download').click(),
    ]);
    expect(download.suggestedFilename()).toBe('big.bin');
    const path = await download.path();
    const received = readFileSync(path);
    expect(received.length).toBe(content.length);
    expect(createHash('sha256').update(received).digest('hex')).toBe(sha256);
  }
  await expect(ada.locator('[data-testid="file-transfer"][data-state="done"]')).toHaveCount(2);
});

test('declining, cancelling and the size limit say why', async ({ startServer, newPerson }) => {
  const server = await startServer({ dataDir: ':memory:', fileMaxBytes: 1024 * 1024 });
  const [ada, grace] = await connectedPair(server, newPerson, 'files-limits');
  await openFiles(ada);
  await openFiles(grace);

  // Over the limit: refused before anything is sent.
  await ada.getByTestId('file-input').setInputFiles({
    name: 'huge.bin',
    mimeType: 'application/octet-stream',
    buffer: Buffer.alloc(2 * 1024 * 1024),
  });
  await expect(ada.getByTestId('file-error')).toContainText('files up to 1 MB can be shared');
  await expect(grace.getByTestId('file-transfer')).toHaveCount(0);

  // Declined: the sender learns it.
  await ada.getByTestId('file-input').setInputFiles({
    name: 'small.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('hello'),
  });
  await grace.getByTestId('file-decline').click();
  await expect(ada.locator('[data-testid="file-transfer"][data-name="small.txt"]')).toHaveAttribute(
    'data-state',
    'declined',
  );
  await expect(ada.getByTestId('file-reason')).toContainText('Grace declined');
  await expect(ada.getByTestId('file-reason')).toBeVisible();

  // Cancelled by the sender before the answer: the receiver learns it.
  await ada.getByTestId('file-input').setInputFiles({
    name: 'second.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('again'),
  });
  const offer = grace.locator('[data-testid="file-transfer"][data-name="second.txt"]');
  await expect(offer).toHaveAttribute('data-state', 'offered');
  await ada
    .locator('[data-testid="file-transfer"][data-name="second.txt"]')
    .getByTestId('file-cancel')
    .click();
  await expect(offer).toHaveAttribute('data-state', 'cancelled');
  await expect(offer).toContainText('Ada cancelled');
});

test('the receiver can cancel a transfer in progress, and the sender is told', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(120_000);
  const server = await startServer({ dataDir: ':memory:' });
  const [ada, grace] = await connectedPair(server, newPerson, 'files-cancel');
  await openFiles(ada);
  await openFiles(grace);
  // Big enough to still be on its way when Grace cancels (Playwright wants a path above 50 MB).
  const dir = mkdtempSync(join(tmpdir(), 'parley-e2e-files-'));
  const path = join(dir, 'movie.bin');
  writeFileSync(path, randomBytes(90 * 1024 * 1024));
  // Chromium reads a file this large from its path lazily: it is removed at the end.
  await ada.getByTestId('file-input').setInputFiles(path);
  const incoming = grace.getByTestId('file-transfer');
  await incoming.getByTestId('file-accept').click();
  await expect(incoming).toHaveAttribute('data-state', 'transferring');
  await incoming.getByTestId('file-cancel').click();
  await expect(incoming).toHaveAttribute('data-state', 'cancelled');
  await expect(incoming.getByTestId('file-reason')).toHaveText('You cancelled');
  const outgoing = ada.getByTestId('file-transfer');
  await expect(outgoing).toHaveAttribute('data-state', 'cancelled');
  await expect(outgoing.getByTestId('file-reason')).toHaveText('Grace cancelled');
  // Nothing was offered for download.
  await expect(grace.getByTestId('file-download')).toHaveCount(0);
  rmSync(dir, { recursive: true, force: true });
});

test('a file damaged on the way is refused with the reason on both sides', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer({ dataDir: ':memory:' });
  const [ada, grace] = await connectedPair(server, newPerson, 'files-damaged');
  // Flip one byte of the fourth chunk Ada's browser puts on a file channel.
  await ada.evaluate(() => {
    // One signature for all of send's overloads (string, Blob, ArrayBuffer, views).
    const original = RTCDataChannel.prototype.send as (this: RTCDataChannel, data: unknown) => void;
    let chunks = 0;
    RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: unknown) {
      if (this.label.startsWith('parley-file:') && data instanceof ArrayBuffer && ++chunks === 4) {
        const bytes = new Uint8Array(data.slice(0));
        bytes[0] = (bytes[0] as number) ^ 0xff;
        return original.call(this, bytes.buffer);
      }
      return original.call(this, data);
    } as typeof RTCDataChannel.prototype.send;
  });
  await openFiles(ada);
  await openFiles(grace);
  await ada.getByTestId('file-input').setInputFiles({
    name: 'report.bin',
    mimeType: 'application/octet-stream',
    buffer: randomBytes(512 * 1024),
  });
  const incoming = grace.getByTestId('file-transfer');
  await incoming.getByTestId('file-accept').click();
  await expect(incoming).toHaveAttribute('data-state', 'failed');
  await expect(incoming.getByTestId('file-reason')).toHaveText(
    'The file arrived damaged (SHA-256 mismatch)',
  );
  await expect(grace.getByTestId('file-download')).toHaveCount(0);
  const outgoing = ada.getByTestId('file-transfer');
  await expect(outgoing).toHaveAttribute('data-state', 'failed');
  // Grace's check failed, and she told Ada why (a code on the wire, worded here).
  await expect(outgoing.getByTestId('file-reason')).toHaveText(
    'The file reached Grace damaged (SHA-256 mismatch)',
  );
});

test('a received HTML file downloads instead of rendering in Parley’s origin', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer({ dataDir: ':memory:' });
  const [ada, grace] = await connectedPair(server, newPerson, 'files-html');
  await openFiles(ada);
  await openFiles(grace);
  const html = '<!doctype html><title>pwned</title><script>document.title = "ran"</script>';
  await ada.getByTestId('file-input').setInputFiles({
    name: 'invoice.html',
    mimeType: 'text/html',
    buffer: Buffer.from(html),
  });
  const offer = grace.locator('[data-testid="file-transfer"][data-name="invoice.html"]');
  await offer.getByTestId('file-accept').click();
  await expect(offer).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
  const href = await offer.getByTestId('file-download').getAttribute('href');
  expect(href).toMatch(/^blob:/);
  // What "open link in new tab" does: the bytes come as a download, never as a page.
  const tab = await grace.context().newPage();
  const download = tab.waitForEvent('download');
  await tab.goto(href as string).catch(() => undefined);
  expect((await download).suggestedFilename()).toBeTruthy();
  expect(await tab.title()).not.toBe('ran');
  await tab.close();
});
