import { expect, test } from './fixtures/parley';
import { ACCOUNT_SERVER } from './fixtures/accounts';

// Issue 15, languages: a French browser sees French, the menu switches to English, and
// the choice outlives a reload. Everything else in e2e runs with Playwright's default
// English locale, which stays the app's default.
test('a French browser gets French; the language menu switches to English and it is remembered', async ({
  startServer,
  browser,
}) => {
  const server = await startServer();
  const context = await browser.newContext({
    locale: 'fr-FR',
    permissions: ['camera', 'microphone'],
    viewport: { width: 800, height: 600 },
  });
  try {
    const page = await context.newPage();
    await page.goto(server.url);

    // Landing, in French, and the document says so.
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'Des appels vidéo sur votre propre serveur',
    );
    await page.getByLabel('Votre nom').fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Nouveau salon' }).click();

    // Pre-join, in French: title, preview, toggles, the join button.
    await expect(page.getByRole('heading', { name: 'Prêt à rejoindre ?' })).toBeVisible();
    await expect(page.getByLabel('Aperçu de la caméra').locator('video')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Couper le micro' })).toBeVisible();
    await expect(page.getByTestId('join')).toHaveText('Rejoindre');

    // Switch to English with the menu: the page changes at once, without a reload.
    const menu = page.getByRole('combobox', { name: 'Langue' });
    await expect(menu).toHaveValue('fr');
    await menu.selectOption('en');
    await expect(page.getByRole('heading', { name: 'Ready to join?' })).toBeVisible();
    await expect(page.getByTestId('join')).toHaveText('Join now');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');

    // The choice is remembered over the browser's French, on this page and the landing.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Ready to join?' })).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'Language' })).toHaveValue('en');
    await page.goto(server.url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'Video calls on your own server',
    );
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  } finally {
    await context.close();
  }
});

test('an English browser gets English, and a room error from the server is worded from its code in French', async ({
  startServer,
  browser,
}) => {
  // A room of one seat: the second person is refused with room_full.
  const server = await startServer({ maxRoomSize: 1 });
  const english = await browser.newContext({
    locale: 'en-US',
    permissions: ['camera', 'microphone'],
    viewport: { width: 800, height: 600 },
  });
  const french = await browser.newContext({
    locale: 'fr-FR',
    permissions: ['camera', 'microphone'],
    viewport: { width: 800, height: 600 },
  });
  try {
    const first = await english.newPage();
    await first.goto(`${server.url}/r/i18n-full?name=Ada`);
    await expect(first.locator('html')).toHaveAttribute('lang', 'en');
    await expect(first.getByTestId('participant-count')).toHaveText('1 person');

    const second = await french.newPage();
    await second.goto(`${server.url}/r/i18n-full?name=Grace`);
    const error = second.getByTestId('room-error');
    await expect(error).toContainText('Ce salon est complet');
    await expect(error.locator('[data-code]')).toHaveAttribute('data-code', 'room_full');
    await expect(second.getByRole('button', { name: 'Réessayer' })).toBeVisible();
  } finally {
    await english.close();
    await french.close();
  }
});

// Issue 15: an error shown in a page is kept as its code and worded when shown, so a
// change of language rewords it (it used to stay in the language it appeared in).
test('errors already on screen change language with the menu', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer(ACCOUNT_SERVER);
  const page = await newPerson();

  // The server's refusal of a sign-in, from its code.
  await page.goto(`${server.url}/signin`);
  await page.getByLabel('Username').fill('nobody.here');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const error = page.getByTestId('auth-error');
  await expect(error).toHaveText('Wrong username or password.');
  await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
  await expect(error).toHaveText('Nom d’utilisateur ou mot de passe incorrect.');
  await page.getByRole('combobox', { name: 'Langue' }).selectOption('en');
  await expect(error).toHaveText('Wrong username or password.');

  // The landing page's own check of a room link.
  await page.goto(server.url);
  await page.getByLabel('Room link or ID').fill('https://example.org/about');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByText('That is not a room link or ID')).toBeVisible();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
  await expect(page.getByText('That is not a room link or ID')).toHaveCount(0);
  await expect(page.locator('.field__error')).toHaveText(/^Ce n’est pas/);
});

// Issue 15: <html lang> is right before the app's JavaScript runs (a screen reader
// starts reading with it), by an inline script the CSP allows by its hash.
test('a French browser’s page says lang="fr" even when the app’s bundle never loads', async ({
  startServer,
  browser,
}) => {
  const server = await startServer();
  const context = await browser.newContext({ locale: 'fr-FR' });
  const csp: string[] = [];
  context.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) {
      csp.push(msg.text());
    }
  });
  try {
    const page = await context.newPage();
    // No module script at all: only index.html's inline scripts can set the language.
    await page.route(/\.js(\?|$)/, (route) => route.abort());
    await page.goto(server.url);
    await expect(page.locator('#root')).toBeEmpty();
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');

    // A remembered English choice wins over the browser's French, also before the app.
    await page.evaluate(() => localStorage.setItem('parley:locale', 'en'));
    await page.reload();
    await expect(page.locator('#root')).toBeEmpty();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    expect(csp, 'Content-Security-Policy violations').toEqual([]);
  } finally {
    await context.close();
  }
});
