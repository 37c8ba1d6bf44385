import { expect, test } from './fixtures/parley';
import { ACCOUNT_SERVER } from './fixtures/accounts';

test('sign up, sign out, wrong password, sign in again', async ({ startServer, newPerson }) => {
  const server = await startServer(ACCOUNT_SERVER);
  const page = await newPerson();

  // The contacts page needs an account: without one it sends you to sign in.
  await page.goto(`${server.url}/contacts`);
  await expect(page).toHaveURL(/\/signin$/);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page).toHaveURL(/\/signup$/);

  // Rules are explained before anything is sent.
  await page.getByLabel('Username').fill('no spaces allowed');
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('auth-error')).toContainText('a–z, 0–9');

  await page.getByLabel('Username').fill('Grace.H');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('contacts-page')).toBeVisible();
  await expect(page.getByTestId('me')).toHaveText('grace.h');
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === 'parley_session')).toMatchObject({
    httpOnly: true,
    sameSite: 'Lax',
  });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await page.goto(`${server.url}/contacts`);
  await expect(page).toHaveURL(/\/signin$/);

  await page.getByLabel('Username').fill('grace.h');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('auth-error')).toHaveText('Wrong username or password.');

  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('me')).toHaveText('grace.h');
});

test('a taken username is refused, whatever its case', async ({ startServer, newPerson }) => {
  const server = await startServer(ACCOUNT_SERVER);
  const page = await newPerson();
  expect(
    (
      await page.request.post(`${server.url}/api/accounts`, {
        data: { username: 'linus', password: 'correct horse battery' },
      })
    ).status(),
  ).toBe(201);
  await page.context().clearCookies();
  await page.goto(`${server.url}/signup`);
  await page.getByLabel('Username').fill('LINUS');
  await page.getByLabel('Password').fill('another password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('auth-error')).toContainText('taken');
});
