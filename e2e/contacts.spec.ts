import { expect, test } from './fixtures/parley';
import { ACCOUNT_SERVER, contactRow, openContacts, signUp } from './fixtures/accounts';

test('add a contact by username, accept live, and follow presence across tabs', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer(ACCOUNT_SERVER);
  const ada = await newPerson();
  const ben = await newPerson();
  await signUp(ada, server, 'ada');
  await signUp(ben, server, 'ben');

  await ada.getByLabel('Add a contact').fill('nobody_by_that_name');
  await ada.getByRole('button', { name: 'Send request' }).click();
  await expect(ada.getByRole('alert')).toContainText('There is no account with that username');

  await ada.getByLabel('Add a contact').fill('Ben');
  await ada.getByRole('button', { name: 'Send request' }).click();
  await expect(ada.locator('[data-testid="contact-outgoing"][data-username="ben"]')).toBeVisible();
  // Ben's page learns of the request without a reload.
  const request = ben.locator('[data-testid="contact-request"][data-username="ada"]');
  await expect(request).toBeVisible();
  await request.getByRole('button', { name: 'Accept' }).click();

  await expect(contactRow(ada, 'ben')).toHaveAttribute('data-presence', 'online');
  await expect(contactRow(ben, 'ada')).toHaveAttribute('data-presence', 'online');

  // A second tab of Ben, then closing the first: still online. Closing both: offline.
  const ben2 = await ben.context().newPage();
  await openContacts(ben2, server);
  await ben.close();
  await ada.waitForTimeout(500);
  await expect(contactRow(ada, 'ben')).toHaveAttribute('data-presence', 'online');
  await ben2.close();
  await expect(contactRow(ada, 'ben')).toHaveAttribute('data-presence', 'offline');
});

test('signing out in one tab takes the other tab to sign-in, saying why', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer(ACCOUNT_SERVER);
  const ada = await newPerson();
  await signUp(ada, server, 'ada');
  const second = await ada.context().newPage();
  await openContacts(second, server);
  await ada.getByRole('button', { name: 'Sign out' }).click();
  await expect(second).toHaveURL(/\/signin\?why=revoked$/);
  await expect(second.getByTestId('auth-notice')).toContainText('You were signed out');
});

test('a sign-in that runs out while the contacts page is open asks to sign in again', async ({
  startServer,
  newPerson,
}) => {
  // Sign-ins last 3 s here (a test override; the CLI minimum is one hour).
  const server = await startServer({ ...ACCOUNT_SERVER, sessionTtlHours: 3 / 3600 });
  const ada = await newPerson();
  await signUp(ada, server, 'ada');
  await expect(ada).toHaveURL(/\/signin\?why=expired$/, { timeout: 10_000 });
  await expect(ada.getByTestId('auth-notice')).toContainText('Your sign-in has expired');
  // Signing in again works and brings the contacts page back, live.
  await ada.getByLabel('Username').fill('ada');
  await ada.getByLabel('Password').fill('correct horse battery');
  await ada.getByRole('button', { name: 'Sign in' }).click();
  await expect(ada.getByTestId('contacts-page')).toHaveAttribute('data-connection', 'open');
});
