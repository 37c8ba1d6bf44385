import type { Page } from '@playwright/test';
import { expect, expectPeople, openPanel, roomLink, test, tileOf } from './fixtures/parley';

/** The host opens the People panel, where the room's access and per-person actions are. */
async function hostPanel(host: Page): Promise<void> {
  if (!(await host.getByTestId('host-settings').isVisible())) {
    await openPanel(host, 'people');
  }
  await expect(host.getByTestId('host-settings')).toBeVisible();
}

test('a password-protected room refuses a wrong password and admits the right one', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer();
  const ada = await newPerson();
  await ada.goto(roomLink(server, 'pw-room', 'Ada', { video: false }));
  await expectPeople(ada, ['Ada']);
  await hostPanel(ada);
  await ada.getByTestId('host-password').fill('correct horse');
  await ada.getByRole('button', { name: 'Set', exact: true }).click();
  await expect(ada.getByTestId('host-password-state')).toHaveText('A password is needed to join.');

  const grace = await newPerson();
  await grace.goto(roomLink(server, 'pw-room', 'Grace', { video: false }));
  await expect(grace.getByTestId('password-page')).toBeVisible();
  await grace.getByTestId('room-password').fill('wrong horse');
  await grace.getByRole('button', { name: 'Join' }).click();
  await expect(grace.getByTestId('wrong-password')).toBeVisible();
  // Refused: Ada is still alone.
  await expectPeople(ada, ['Ada']);
  await grace.getByTestId('room-password').fill('correct horse');
  await grace.getByRole('button', { name: 'Join' }).click();
  await expectPeople(grace, ['Ada', 'Grace']);
  await expectPeople(ada, ['Ada', 'Grace']);
});

test('the lobby holds a newcomer until the host admits them', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer();
  const ada = await newPerson();
  await ada.goto(roomLink(server, 'lobby-room', 'Ada', { video: false }));
  await expectPeople(ada, ['Ada']);
  await hostPanel(ada);
  await ada.getByTestId('host-lobby').click();
  await expect(ada.getByTestId('host-lobby')).toBeChecked();

  const grace = await newPerson();
  await grace.goto(roomLink(server, 'lobby-room', 'Grace', { video: false }));
  await expect(grace.getByTestId('lobby-notice')).toHaveText('Waiting for the host to let you in…');
  // Held: the host sees her knock, nobody sees her tile, she sees nobody.
  await expect(ada.getByTestId('lobby-waiter')).toHaveText(/Grace/);
  await expect(ada.getByTestId('lobby-knock')).toContainText('Grace is waiting to join.');
  await expectPeople(ada, ['Ada']);
  await expect(grace.getByTestId('tile').and(grace.locator('[data-name="Ada"]'))).toHaveCount(0);

  await ada.getByTestId('lobby-waiter').getByRole('button', { name: 'Admit' }).click();
  await expectPeople(grace, ['Ada', 'Grace']);
  await expectPeople(ada, ['Ada', 'Grace']);
  await expect(grace.getByTestId('lobby-notice')).toHaveCount(0);
  await expect(ada.getByTestId('lobby-waiter')).toHaveCount(0);
});

test('a removed participant disappears for everyone and cannot rejoin a locked room', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer();
  const pages: Page[] = [];
  for (const name of ['Ada', 'Grace', 'Linus']) {
    const page = await newPerson();
    await page.goto(roomLink(server, 'strict-room', name, { video: false }));
    // One after the other, so Ada (first) is the host.
    await expect(page.getByTestId('call')).toHaveAttribute('data-state', 'joined');
    pages.push(page);
  }
  const [ada, grace, linus] = pages as [Page, Page, Page];
  for (const p of pages) {
    await expectPeople(p, ['Ada', 'Grace', 'Linus']);
  }
  await hostPanel(ada);
  // The box follows the server's answer (room-access), so click and wait for it.
  await ada.getByTestId('host-lock').click();
  await expect(ada.getByTestId('host-lock')).toBeChecked();
  // Only the host has host controls.
  await openPanel(linus, 'people');
  await expect(linus.getByTestId('people-host')).toHaveCount(1);
  await expect(linus.getByTestId('remove-person')).toHaveCount(0);

  await ada
    .locator('[data-testid="people-row"][data-name="Grace"]')
    .getByTestId('remove-person')
    .click();
  await expect(grace.getByTestId('room-error')).toContainText('You were removed from the room');
  await expectPeople(ada, ['Ada', 'Linus']);
  await expectPeople(linus, ['Ada', 'Linus']);
  await expect(tileOf(linus, 'Grace')).toHaveCount(0);

  // She tries the link again: the room is locked.
  await grace.goto(roomLink(server, 'strict-room', 'Grace', { video: false }));
  await expect(grace.getByTestId('room-error')).toContainText('The room is locked');
  await expectPeople(ada, ['Ada', 'Linus']);
});
