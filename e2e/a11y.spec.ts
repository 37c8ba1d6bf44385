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
