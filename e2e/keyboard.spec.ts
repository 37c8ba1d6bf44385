import type { Locator, Page } from '@playwright/test';
import { expect, expectPeople, test, tileOf } from './fixtures/parley';
import { ACCOUNT_SERVER, contactRow, signUpContacts } from './fixtures/accounts';

/**
 * Keyboard-only flows (issue 15): every step is Tab / Shift+Tab to reach a control and
 * Enter or a typed text to use it; no click, no fill. What the user sees and what the
 * other side receives are asserted after each step.
 */

/**
 * Press Tab until `target` has the focus, as a keyboard user would; fails if it is not
 * reached within `max` presses (not reachable by Tab, or buried too deep).
 */
async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  const handle = await target.elementHandle({ timeout: 15_000 });
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((el) => el === document.activeElement, handle)) {
      return;
    }
    await page.keyboard.press('Tab');
  }
  throw new Error(`not reached with ${max} presses of Tab: ${target.toString()}`);
}

const liveRegion = (page: Page) => page.getByTestId('live-region');

test('keyboard only: create a room, join, toggle mic and camera, chat', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(120_000);
  const server = await startServer();
  const ada = await newPerson();
  await ada.goto(server.url);
  await tabTo(ada, ada.getByLabel('Your name'));
  await ada.keyboard.type('Ada');
  await tabTo(ada, ada.getByRole('button', { name: 'New room' }));
  await ada.keyboard.press('Enter');
  await expect(ada).toHaveURL(/\/r\/[\w-]{22}$/);
  const roomUrl = ada.url();
  await tabTo(ada, ada.getByTestId('join'));
  await ada.keyboard.press('Enter');
  await expectPeople(ada, ['Ada']);

  // Bo joins by pasting the link, keyboard only too.
  const bo = await newPerson();
  await bo.goto(server.url);
  await tabTo(bo, bo.getByLabel('Your name'));
  await bo.keyboard.type('Bo');
  await tabTo(bo, bo.getByLabel('Room link or ID'));
  await bo.keyboard.type(roomUrl);
  await bo.keyboard.press('Enter');
  await tabTo(bo, bo.getByTestId('join'));
  await bo.keyboard.press('Enter');
  await expectPeople(bo, ['Ada', 'Bo']);
  await expectPeople(ada, ['Ada', 'Bo']);
  // Ada's screen reader was told.
  await expect(liveRegion(ada)).toContainText('Bo joined the call');

  const adaAtBo = tileOf(bo, 'Ada');
  await expect(adaAtBo).toHaveAttribute('data-muted', 'false');
  await tabTo(ada, ada.getByTestId('toggle-mic'));
  await ada.keyboard.press('Enter');
  await expect(ada.getByTestId('toggle-mic')).toHaveAttribute('aria-label', 'Turn on microphone');
  await expect(adaAtBo).toHaveAttribute('data-muted', 'true');
  await ada.keyboard.press('Enter');
  await expect(adaAtBo).toHaveAttribute('data-muted', 'false');

  await expect(adaAtBo).toHaveAttribute('data-camera-off', 'false');
  await tabTo(ada, ada.getByTestId('toggle-camera'));
  await ada.keyboard.press('Space');
  await expect(ada.getByTestId('toggle-camera')).toHaveAttribute('aria-label', 'Turn on camera');
  await expect(adaAtBo).toHaveAttribute('data-camera-off', 'true');
  await expect(adaAtBo.getByTestId('camera-off')).toContainText('A');

  // Chat: the panel's button, then the input has the focus; Enter sends.
  await tabTo(ada, ada.getByTestId('panel-chat'));
  await ada.keyboard.press('Enter');
  await expect(ada.getByTestId('chat-input')).toBeFocused();
  await ada.keyboard.type('Typed without a mouse');
  await ada.keyboard.press('Enter');
  await expect(ada.getByTestId('chat-message')).toContainText(['Typed without a mouse']);
  // Bo has not opened the chat: his live region says it, then the chat shows it.
  await expect(liveRegion(bo)).toContainText('Ada says: Typed without a mouse');
  await tabTo(bo, bo.getByTestId('panel-chat'));
  await bo.keyboard.press('Enter');
  await expect(bo.getByTestId('chat-message')).toContainText(['Typed without a mouse']);

  // Closing the panel with its button returns the focus to the Chat button.
  await tabTo(ada, ada.getByRole('button', { name: 'Close Chat' }));
  await ada.keyboard.press('Enter');
  await expect(ada.getByTestId('side-panel')).toHaveCount(0);
  await expect(ada.getByTestId('panel-chat')).toBeFocused();

  // Leaving: Bo's screen reader hears it.
  await tabTo(ada, ada.getByTestId('leave'));
  await ada.keyboard.press('Enter');
  await expectPeople(bo, ['Bo']);
  await expect(liveRegion(bo)).toContainText('Ada left the call');
});

test('keyboard only: call a contact, answer, end', async ({ startServer, newPerson }) => {
  test.setTimeout(120_000);
  const server = await startServer(ACCOUNT_SERVER);
  const ada = await newPerson();
  const ben = await newPerson();
  const { adaUser, benUser } = await signUpContacts(ada, ben, server);

  await tabTo(ada, contactRow(ada, benUser.username).getByTestId('call-audio'));
  await ada.keyboard.press('Enter');
  await expect(ada.getByTestId('call-screen')).toHaveAttribute('data-state', 'ringing');

  const incoming = ben.getByTestId('incoming-call');
  await expect(incoming).toHaveAttribute('data-caller', adaUser.username);
  await expect(liveRegion(ben)).toContainText(`Incoming voice call from ${adaUser.username}`);
  await expect(ben).toHaveTitle(`Incoming call — ${adaUser.username}`);
  await tabTo(ben, incoming.getByTestId('accept-call'));
  await ben.keyboard.press('Enter');
  await expect(incoming).toHaveCount(0);
  for (const page of [ada, ben]) {
    await expect(page.getByTestId('call-status')).toHaveText('Connected', { timeout: 30_000 });
  }
  // The title is restored once the ringing stops.
  await expect(ben).not.toHaveTitle(/Incoming call/);

  await tabTo(ben, ben.getByTestId('call-end'));
  await ben.keyboard.press('Enter');
  await expect(ben.getByTestId('call-screen')).toHaveCount(0);
  await expect(ada.getByTestId('call-outcome')).toBeVisible();
  await expect(ada.getByTestId('call-screen')).toHaveCount(0);
});
