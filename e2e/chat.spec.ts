import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import pg from 'pg';
import WebSocket from 'ws';
import { chatMessages as messages, chatTexts as texts, openChat, say } from './fixtures/chat';
import { expect, expectPeople, joinTogether, roomLink, test, tileOf } from './fixtures/parley';

/** Audio and video off: several people share two cores, and chat needs no media. */
const QUIET = { audio: false, video: false };

let dataDir = '';
test.beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'parley-e2e-chat-'));
});
test.afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

test('three people chat, and a late joiner sees the history', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(120_000);
  const server = await startServer({ dataDir });
  const names = ['Ada', 'Grace', 'Linus'];
  const pages = await joinTogether(server, newPerson, 'chat-room', names, QUIET);
  const [ada, grace, linus] = pages as [Page, Page, Page];
  for (const page of pages) {
    await expectPeople(page, names);
    await openChat(page);
  }
  await say(ada, 'Hello from Ada');
  await expect(messages(grace)).toHaveCount(1);
  await say(grace, 'Hi Ada');
  await expect(messages(linus)).toHaveCount(2);
  // Shift+Enter breaks the line instead of sending.
  const input = linus.getByTestId('chat-input');
  await input.fill('Two');
  await input.press('Shift+Enter');
  await input.pressSequentially('lines');
  await input.press('Enter');
  const expected = ['Hello from Ada', 'Hi Ada', 'Two\nlines'];
  for (const page of pages) {
    await expect.poll(() => texts(page)).toEqual(expected);
    await expect(page.locator('[data-testid="chat-message"][data-status="sent"]')).toHaveCount(3);
  }
  await expect(ada.locator('[data-testid="chat-message"][data-own="true"]')).toHaveCount(1);

  // Unread badge while the panel is closed.
  await grace.getByTestId('panel-chat').click();
  await expect(grace.getByTestId('chat-panel')).toHaveCount(0);
  await say(ada, 'Are you there?');
  await expect(
    grace.locator('.control-wrap', { has: grace.getByTestId('panel-chat') }),
  ).toContainText('1');
  await openChat(grace);
  await expect.poll(() => texts(grace)).toEqual([...expected, 'Are you there?']);

  // Typing indicator.
  await linus.getByTestId('chat-input').fill('typing something');
  await expect(ada.getByTestId('chat-typing')).toHaveText('Linus is typing…');

  const margaret = await newPerson();
  await margaret.goto(roomLink(server, 'chat-room', 'Margaret', QUIET));
  await expectPeople(margaret, [...names, 'Margaret']);
  await openChat(margaret);
  await expect.poll(() => texts(margaret)).toEqual([...expected, 'Are you there?']);
  await expect(margaret.locator('.chat__name').first()).toHaveText('Ada');
});

test('markup in a message is shown as text and runs nothing; links are safe anchors', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer({ dataDir });
  const [ada, grace] = (await joinTogether(
    server,
    newPerson,
    'xss-room',
    ['Ada', 'Grace'],
    QUIET,
  )) as [Page, Page];
  await expectPeople(grace, ['Ada', 'Grace']);
  await openChat(ada);
  await openChat(grace);
  const evil = '<img src=x onerror="window.__xss=1;document.title=\'pwned\'">';
  await say(ada, evil);
  await say(ada, 'see https://example.org/page?q=1 and javascript:alert(1)');
  await expect(messages(grace)).toHaveCount(2);
  for (const page of [ada, grace]) {
    await expect(messages(page).first().locator('.chat__bubble')).toHaveText(evil);
    await expect(page.getByTestId('chat-panel').locator('img')).toHaveCount(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    await expect(page).not.toHaveTitle('pwned');
    const links = messages(page).nth(1).locator('a');
    await expect(links).toHaveCount(1);
    await expect(links).toHaveAttribute('href', 'https://example.org/page?q=1');
    await expect(links).toHaveAttribute('rel', 'noopener noreferrer');
    await expect(messages(page).nth(1)).toContainText('javascript:alert(1)');
  }
});

test('a message written while the server is down is delivered once after it restarts', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(120_000);
  const first = await startServer({ dataDir });
  const port = Number(new URL(first.url).port);
  const [ada, grace] = (await joinTogether(
    first,
    newPerson,
    'outage-room',
    ['Ada', 'Grace'],
    QUIET,
  )) as [Page, Page];
  await expectPeople(ada, ['Ada', 'Grace']);
  await openChat(ada);
  await openChat(grace);
  await say(ada, 'before');
  await expect(messages(grace)).toHaveCount(1);

  await first.close();
  await expect(ada.getByTestId('reconnecting-notice')).toBeVisible();
  await say(ada, 'written during the outage');
  const pending = ada.locator('[data-testid="chat-message"][data-own="true"]').last();
  await expect(pending).toHaveAttribute('data-status', /pending|sending/);
  await expect(pending).toContainText('Waiting for the connection');

  const second = await startServer({ dataDir, port });
  await expect(pending).toHaveAttribute('data-status', 'sent', { timeout: 30_000 });
  await expect
    .poll(() => texts(grace), { timeout: 30_000 })
    .toEqual(['before', 'written during the outage']);
  // Exactly once, also for someone who joins afterwards.
  const linus = await newPerson();
  await linus.goto(roomLink(second, 'outage-room', 'Linus', QUIET));
  await openChat(linus);
  await expect.poll(() => texts(linus)).toEqual(['before', 'written during the outage']);
  await expect.poll(() => texts(ada)).toEqual(['before', 'written during the outage']);
});

test('a reaction floats over the sender’s tile for everyone', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer({ dataDir });
  const [ada, grace] = (await joinTogether(
    server,
    newPerson,
    'react-room',
    ['Ada', 'Grace'],
    QUIET,
  )) as [Page, Page];
  await expectPeople(grace, ['Ada', 'Grace']);
  // The data channel opens with the peer connection.
  await expect(tileOf(grace, 'Ada')).toHaveAttribute('data-connection', 'connected', {
    timeout: 30_000,
  });
  await ada.getByTestId('reaction-toggle').click();
  await ada.getByRole('button', { name: 'React 🎉' }).click();
  await expect(tileOf(grace, 'Ada').getByTestId('floating-reaction')).toHaveText('🎉');
  await expect(tileOf(ada, 'Ada').getByTestId('floating-reaction')).toHaveText('🎉');
  await expect(tileOf(grace, 'Grace').getByTestId('floating-reaction')).toHaveCount(0);
});

/** A fresh PostgreSQL database for one test, or a loud skip (a failure when CI=true). */
async function postgresDatabase(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const adminUrl = process.env.PARLEY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  const name = `parley_e2e_${randomBytes(5).toString('hex')}`;
  try {
    await admin.connect();
    await admin.query(`create database ${name}`);
  } catch (err) {
    const reason = `PostgreSQL not reachable at ${adminUrl}: ${(err as Error).message}`;
    if (process.env.CI === 'true') {
      throw new Error(`CI: ${reason}`, { cause: err });
    }
    console.warn(`SKIPPED: ${reason}`);
    return null;
  } finally {
    await admin.end().catch(() => {});
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

test('on PostgreSQL, history outlives the server and reaches a late joiner', async ({
  startServer,
  newPerson,
}) => {
  const db = await postgresDatabase();
  test.skip(db === null, 'PostgreSQL is not running here');
  try {
    const first = await startServer({ databaseUrl: db!.url });
    const ada = await newPerson();
    await ada.goto(roomLink(first, 'pg-room', 'Ada', QUIET));
    await openChat(ada);
    await say(ada, 'stored in PostgreSQL');
    await expect(messages(ada).first()).toHaveAttribute('data-status', 'sent');
    await ada.close();
    await first.close();

    const second = await startServer({ databaseUrl: db!.url });
    const grace = await newPerson();
    await grace.goto(roomLink(second, 'pg-room', 'Grace', QUIET));
    await openChat(grace);
    await expect.poll(() => texts(grace)).toEqual(['stored in PostgreSQL']);
    await expect(grace.locator('.chat__name').first()).toHaveText('Ada');
    await second.close();
  } finally {
    await db?.drop();
  }
});

/** Post messages as a signaling-only client (no browser), then leave. */
async function postAsBot(
  wsUrl: string,
  room: string,
  texts: string[],
  idPrefix = 'bot',
): Promise<void> {
  const ws = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let waiting: { rid: string; resolve: () => void } | null = null;
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw)) as { type: string; rid?: string };
    if (waiting && (m.rid === waiting.rid || (waiting.rid === 'welcome' && m.type === 'welcome'))) {
      waiting.resolve();
    }
  });
  const send = (frame: object, rid: string) =>
    new Promise<void>((resolve) => {
      waiting = { rid, resolve };
      ws.send(JSON.stringify(frame));
    });
  await send({ type: 'hello', v: 1 }, 'welcome');
  await send(
    { type: 'join', room, name: 'Bot', media: { audio: false, video: false }, rid: 'j' },
    'j',
  );
  for (const [i, text] of texts.entries()) {
    await send({ type: 'chat-send', clientId: `${idPrefix}${i}`, text, rid: `m${i}` }, `m${i}`);
  }
  ws.close(1000);
}

test('older messages load on request, and "jump to latest" brings the reader back', async ({
  startServer,
  newPerson,
}) => {
  // A bot posts 70 messages in a burst: lift the per-socket, per-address and per-room limits.
  const server = await startServer({
    dataDir,
    chatRateLimit: 1000,
    chatRatePerAddress: 1000,
    chatRatePerRoom: 1000,
  });
  const all = Array.from({ length: 70 }, (_, i) => `message ${i + 1}`);
  await postAsBot(server.wsUrl, 'long-room', all);
  const ada = await newPerson();
  await ada.goto(roomLink(server, 'long-room', 'Ada', QUIET));
  await openChat(ada);
  // The latest 50 arrive with the join; the rest on request.
  await expect.poll(() => texts(ada)).toEqual(all.slice(20));
  await ada.getByTestId('chat-older').click();
  await expect.poll(() => texts(ada)).toEqual(all);
  await expect(ada.getByTestId('chat-older')).toHaveCount(0);
  // Scrolled up, a new message does not pull the reader down: a button offers to.
  await ada.locator('.chat__scroll').evaluate((el) => {
    el.scrollTop = 0;
  });
  await postAsBot(server.wsUrl, 'long-room', ['fresh news'], 'later');
  const jump = ada.getByTestId('chat-jump');
  await expect(jump).toContainText('1 new message');
  await jump.click();
  await expect(jump).toHaveCount(0);
  await expect(messages(ada).last()).toBeInViewport();
});
