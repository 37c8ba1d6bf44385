import { expect, expectPeople, test } from './fixtures/parley';

test('a new room goes through pre-join into the call, and the name is remembered', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer();
  const page = await newPerson();
  await page.goto(server.url);
  await page.getByLabel('Your name').fill('Ada Lovelace');
  await page.getByRole('button', { name: 'New room' }).click();

  await expect(page).toHaveURL(/\/r\/[A-Za-z0-9_-]{22}$/);
  const roomId = new URL(page.url()).pathname.split('/')[2] as string;
  // Pre-join: preview running, name carried over.
  await expect(page.getByLabel('Your name')).toHaveValue('Ada Lovelace');
  await expect(page.getByLabel('Camera preview').locator('video')).toBeVisible();
  // The fake microphone beeps: the level meter shows it is picking up sound.
  await expect
    .poll(async () => Number(await page.getByRole('meter').getAttribute('aria-valuenow')), {
      timeout: 20_000,
      intervals: [100],
    })
    .toBeGreaterThan(0);
  // Enter with the camera off.
  await page.getByTestId('prejoin-camera').click();
  await expect(page.getByLabel('Camera preview')).toContainText('Camera is off');
  await page.getByTestId('join').click();
  await expectPeople(page, ['Ada Lovelace']);
  await expect(page.locator('[data-testid="tile"][data-self="true"]')).toHaveAttribute(
    'data-camera-off',
    'true',
  );

  // A second person pastes the invite link on the landing page.
  const other = await newPerson();
  await other.goto(server.url);
  await other.getByLabel('Your name').fill('Grace');
  await other.getByLabel('Room link or ID').fill(`https://elsewhere.example/r/${roomId}`);
  await other.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(other).toHaveURL(new RegExp(`/r/${roomId}$`));
  await other.getByTestId('join').click();
  await expectPeople(other, ['Ada Lovelace', 'Grace']);
  await expectPeople(page, ['Ada Lovelace', 'Grace']);

  // Name remembered on this device.
  await other.goto(server.url);
  await expect(other.getByLabel('Your name')).toHaveValue('Grace');
});

test('a bad room link is refused on the landing page', async ({ startServer, newPerson }) => {
  const server = await startServer();
  const page = await newPerson();
  await page.goto(server.url);
  await page.getByLabel('Room link or ID').fill('https://example.org/about');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByText('That is not a room link or ID')).toBeVisible();
  await expect(page).toHaveURL(`${server.url}/`);
});
