import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { openChat, say } from './fixtures/chat';
import {
  expect,
  expectPeople,
  joinTogether,
  openPanel,
  roomLink,
  test,
  tileOf,
} from './fixtures/parley';
import { ACCOUNT_SERVER, signUpContacts, startCall } from './fixtures/accounts';
import { bareSeat } from './fixtures/bare-seat';

/**
 * axe-core scans of every page and state of the app (issue 15): a serious or critical
 * violation of WCAG 2.x A/AA fails the test, with the rule, the elements and axe's
 * explanation in the message.
 */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function expectAccessible(page: Page, state: string, exclude: string[] = []): Promise<void> {
  // What was scanned, to look at (test-results/e2e/<test>/<state>.png).
  await page.screenshot({ path: test.info().outputPath(`${state.replace(/\W+/g, '-')}.png`) });
  let builder = new AxeBuilder({ page }).withTags(TAGS);
  for (const selector of exclude) {
    builder = builder.exclude(selector);
  }
  const result = await builder.analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes
          .slice(0, 5)
          .map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ')}`)
          .join('\n'),
    );
  // Soft: one run reports every state's violations, not only the first.
  expect.soft(bad, `axe: serious or critical violations in "${state}"`).toEqual([]);
}

/** Audio and video off where the state does not need them: two cores for everyone. */
const QUIET = { audio: false, video: false };

test.describe('axe-core scans', () => {
  test('landing, its errors, sign-in, sign-up, pre-join, not found', async ({
    startServer,
    newPerson,
  }) => {
    const server = await startServer();
    const page = await newPerson();
    await page.goto(server.url);
    await expect(page.getByRole('button', { name: 'New room' })).toBeVisible();
    await expectAccessible(page, 'landing');

    await page.getByLabel('Room link or ID').fill('https://example.org/about');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(page.getByText('That is not a room link or ID')).toBeVisible();
    await expectAccessible(page, 'landing: a bad room link');

    await page.goto(`${server.url}/r/a11y-prejoin`);
    await expect(page.getByTestId('join')).toBeVisible();
    await expect(page.getByLabel('Camera preview').locator('video')).toBeVisible();
    await expectAccessible(page, 'pre-join');

    await page.goto(`${server.url}/signin`);
    await expect(page.getByRole('button', { name: /sign in/i }).first()).toBeVisible();
    await expectAccessible(page, 'sign-in');

    await page.goto(`${server.url}/signup`);
    await expect(page.getByRole('textbox').first()).toBeVisible();
    await expectAccessible(page, 'sign-up');

    await page.goto(`${server.url}/nowhere`);
    await expect(page.getByText('Nothing here')).toBeVisible();
    await expectAccessible(page, 'not found');
  });

  test('errors: camera and microphone blocked, room full', async ({ startServer, newPerson }) => {
    const server = await startServer({ maxRoomSize: 1 });
    const blocked = await newPerson({ denyCamera: true, denyMicrophone: true });
    await blocked.goto(`${server.url}/r/a11y-blocked`);
    await expect(blocked.getByTestId('join')).toBeVisible();
    await expect(blocked.getByLabel('Camera preview')).toBeVisible();
    await blocked.waitForTimeout(500);
    await expectAccessible(blocked, 'pre-join: camera and microphone blocked');

    const ada = await newPerson();
    await ada.goto(roomLink(server, 'a11y-full', 'Ada', QUIET));
    await expectPeople(ada, ['Ada']);
    const bo = await newPerson();
    await bo.goto(roomLink(server, 'a11y-full', 'Bo', QUIET));
    await expect(bo.getByTestId('room-error')).toContainText('This room is full');
    await expectAccessible(bo, 'room full');
  });

  test('a room: alone, three people, people, chat, files, quality, dialogs', async ({
    startServer,
    newPerson,
  }) => {
    test.setTimeout(150_000);
    const server = await startServer();
    const [ada] = (await joinTogether(server, newPerson, 'a11y-room', ['Ada'])) as [Page];
    await expectPeople(ada, ['Ada']);
    await expect(ada.getByTestId('waiting')).toBeVisible();
    await expectAccessible(ada, 'room: alone');

    const [bo] = (await joinTogether(server, newPerson, 'a11y-room', ['Bo'])) as [Page];
    const [cy] = (await joinTogether(server, newPerson, 'a11y-room', ['Cy'], QUIET)) as [Page];
    for (const page of [ada, bo, cy]) {
      await expectPeople(page, ['Ada', 'Bo', 'Cy']);
    }
    await expectAccessible(ada, 'room: three people');

    // Six, a mesh room's limit: three more seats without a browser (bare WebSockets in
    // the room, no media), so that two cores carry it. Their tiles show them connecting.
    const seats = [];
    for (const name of ['Di', 'Ed', 'Flo']) {
      seats.push(await bareSeat(server.wsUrl, 'a11y-room', name));
    }
    await expectPeople(ada, ['Ada', 'Bo', 'Cy', 'Di', 'Ed', 'Flo']);
    for (const name of ['Ada', 'Bo', 'Cy', 'Di', 'Ed', 'Flo']) {
      await expect(tileOf(ada, name)).toBeVisible();
    }
    await expect(ada.getByTestId('participant-count')).toHaveText('6 people');
    await expectAccessible(ada, 'room: six people');
    seats.forEach((seat) => seat.close());
    await expectPeople(ada, ['Ada', 'Bo', 'Cy']);

    await openPanel(ada, 'people');
    await expect(ada.getByTestId('side-panel')).toBeVisible();
    await expectAccessible(ada, 'room: people panel');

    await openChat(bo);
    await say(bo, 'Hello from Bo');
    await openChat(ada);
    await expect(ada.getByTestId('chat-message')).toHaveCount(1);
    await expectAccessible(ada, 'room: chat open with a message');

    await openPanel(ada, 'files');
    await expect(ada.getByTestId('side-panel')).toBeVisible();
    await expectAccessible(ada, 'room: files');

    await tileOf(ada, 'Bo').getByTestId('quality').click({ timeout: 30_000 });
    await expect(ada.getByTestId('side-panel')).toContainText('Bo');
    await expectAccessible(ada, 'room: connection quality');

    await ada.getByTestId('more').click();
    // The open menu covers the reactions button behind it, as a menu does: axe counts
    // that as a too-small target (2.5.8); the menu closes on Escape or a click outside.
    await expectAccessible(ada, 'room: More menu', ['.reaction-bar__toggle']);
    await ada.keyboard.press('Escape');

    await ada.getByTestId('open-settings').click();
    await expect(ada.getByTestId('settings-dialog')).toBeVisible();
    await expectAccessible(ada, 'room: audio and video settings');
    await ada.keyboard.press('Escape');

    await ada.keyboard.press('Shift+?');
    await expect(ada.getByTestId('shortcuts-dialog')).toBeVisible();
    await expectAccessible(ada, 'room: keyboard shortcuts');
  });

  test('contacts, an incoming call, in a call, the call ended', async ({
    startServer,
    newPerson,
  }) => {
    test.setTimeout(120_000);
    const server = await startServer(ACCOUNT_SERVER);
    const ada = await newPerson();
    const ben = await newPerson();
    const { benUser } = await signUpContacts(ada, ben, server);
    await expectAccessible(ben, 'contacts');

    await startCall(ada, benUser.username, 'audio');
    await expect(ben.getByTestId('incoming-call')).toBeVisible();
    await expectAccessible(ben, 'incoming call');
    await expectAccessible(ada, 'calling (ringing)');

    await ben.getByTestId('accept-call').click();
    for (const page of [ada, ben]) {
      await expect(page.getByTestId('call-status')).toHaveText('Connected', { timeout: 30_000 });
    }
    await expectAccessible(ben, 'in a call');

    await ben.getByTestId('call-end').click();
    await expect(ada.getByTestId('call-outcome')).toBeVisible();
    await expectAccessible(ada, 'call ended');

    await ada.getByTestId('history-tab').click();
    await expectAccessible(ada, 'call history');
  });
});

test.describe('axe-core scans, more states', () => {
  test('a call’s moments: a raised hand, a shared screen, a recording', async ({
    startServer,
    newPerson,
  }) => {
    test.setTimeout(120_000);
    const server = await startServer();
    const [ada, grace] = (await joinTogether(
      server,
      newPerson,
      'a11y-moments',
      ['Ada', 'Grace'],
      QUIET,
    )) as [Page, Page];
    for (const page of [ada, grace]) {
      await expectPeople(page, ['Ada', 'Grace']);
    }
    await grace.getByTestId('toggle-hand').click();
    await expect(tileOf(ada, 'Grace').getByTestId('hand')).toBeVisible();
    await expectAccessible(ada, 'room: a hand raised');

    await ada.getByTestId('toggle-screen').click();
    await expect(grace.locator('[data-testid="tile"][data-kind="screen"]')).toBeVisible({
      timeout: 30_000,
    });
    await expectAccessible(grace, 'room: a shared screen');
    await expectAccessible(ada, 'room: sharing my screen');
    await ada.getByTestId('toggle-screen').click();

    await ada.getByTestId('more').click();
    await ada.getByTestId('more-record').click();
    await expect(grace.getByTestId('recording-badge')).toContainText('Ada');
    await expectAccessible(ada, 'room: recording');
    await expectAccessible(grace, 'room: someone records');
    await ada.getByTestId('recording-stop').click();
  });

  test('host controls: the password prompt, a wrong password, the lobby on both sides', async ({
    startServer,
    newPerson,
  }) => {
    test.setTimeout(120_000);
    const server = await startServer();
    const [ada] = (await joinTogether(server, newPerson, 'a11y-host', ['Ada'], QUIET)) as [Page];
    await expectPeople(ada, ['Ada']);
    // The host's controls are in the People panel (open already on a wide window).
    if (!(await ada.getByTestId('host-settings').isVisible())) {
      await openPanel(ada, 'people');
    }
    await expect(ada.getByTestId('host-settings')).toBeVisible();
    await ada.getByTestId('host-password').fill('correct horse');
    await ada.getByRole('button', { name: 'Set', exact: true }).click();
    await expect(ada.getByTestId('host-password-state')).toBeVisible();
    await expectAccessible(ada, 'room: host controls');

    const [grace] = (await joinTogether(server, newPerson, 'a11y-host', ['Grace'], QUIET)) as [
      Page,
    ];
    await expect(grace.getByTestId('password-page')).toBeVisible();
    await expectAccessible(grace, 'password prompt');
    await grace.getByTestId('room-password').fill('wrong horse');
    await grace.getByRole('button', { name: 'Join' }).click();
    await expect(grace.getByTestId('wrong-password')).toBeVisible();
    await expectAccessible(grace, 'password prompt: a wrong password');
    await grace.getByTestId('room-password').fill('correct horse');
    await grace.getByRole('button', { name: 'Join' }).click();
    await expectPeople(ada, ['Ada', 'Grace']);

    await ada.getByTestId('host-lobby').click();
    await expect(ada.getByTestId('host-lobby')).toBeChecked();
    const linus = await newPerson();
    await linus.goto(roomLink(server, 'a11y-host', 'Linus', QUIET));
    await expect(linus.getByTestId('password-page')).toBeVisible();
    await linus.getByTestId('room-password').fill('correct horse');
    await linus.getByRole('button', { name: 'Join' }).click();
    await expect(linus.getByTestId('lobby-notice')).toBeVisible();
    await expectAccessible(linus, 'lobby: waiting for the host');
    await expect(ada.getByTestId('lobby-waiter')).toHaveText(/Linus/);
    await expectAccessible(ada, 'lobby: the host sees a knock');
  });

  test('meet someone new: the form, waiting, paired, the report dialog', async ({
    startServer,
    newPerson,
  }) => {
    test.setTimeout(120_000);
    const server = await startServer({ meetAnyoneAfterMs: 1_000 });
    const [ada, grace] = [await newPerson(), await newPerson()];
    await ada.goto(`${server.url}/meet`);
    await expect(ada.getByTestId('meet-start')).toBeVisible();
    await expectAccessible(ada, 'meet: the form');
    await ada.getByLabel('Your name').fill('Ada');
    await ada.getByTestId('meet-start').click();
    await expect(ada.getByTestId('meet-queue')).toHaveText(/Only you are waiting/, {
      timeout: 20_000,
    });
    await expectAccessible(ada, 'meet: waiting');

    await grace.goto(`${server.url}/meet`);
    await grace.getByLabel('Your name').fill('Grace');
    await grace.getByTestId('meet-start').click();
    await expect(ada.getByTestId('call')).toBeVisible({ timeout: 20_000 });
    await expectPeople(ada, ['Ada', 'Grace']);
    await expectAccessible(ada, 'meet: paired');
    await ada.getByTestId('meet-report').click();
    await expect(ada.getByTestId('report-dialog')).toBeVisible();
    await expectAccessible(ada, 'meet: the report dialog');
  });

  test('the open-call board: empty, my post, someone else’s, a refusal', async ({
    startServer,
    newPerson,
  }) => {
    const server = await startServer();
    const [ada, grace] = [await newPerson(), await newPerson()];
    await grace.goto(`${server.url}/board`);
    await expect(grace.getByTestId('board-empty')).toBeVisible();
    await expectAccessible(grace, 'board: empty');

    await ada.goto(`${server.url}/board`);
    await ada.getByLabel('Your name').fill('Ada');
    await ada.getByTestId('board-topic').fill('Anyone up for a chat about jazz?');
    await ada.getByTestId('board-post').click();
    await expect(ada.getByTestId('board-withdraw')).toBeVisible();
    await expectAccessible(ada, 'board: my post');
    await expect(grace.getByTestId('board-entry')).toHaveCount(1);
    await expectAccessible(grace, 'board: an open call to answer');

    // One post per person: the second is refused, and says so.
    await ada.getByTestId('board-topic').fill('A second one');
    await ada.getByTestId('board-post').click();
    await expect(ada.getByTestId('board-problem')).toBeVisible();
    await expectAccessible(ada, 'board: a refusal');
  });
});
