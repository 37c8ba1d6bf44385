import { signUp } from './fixtures/accounts';
import { expect, expectPeople, test } from './fixtures/parley';
import { expectDecodingFromAll } from './fixtures/stats';

test('a post appears live on the board, the first answer wins a call, the post goes for everyone', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(120_000);
  const server = await startServer();
  const [ada, grace, linus] = [await newPerson(), await newPerson(), await newPerson()];
  for (const page of [grace, linus]) {
    await page.goto(`${server.url}/board`);
    await expect(page.getByTestId('board-empty')).toHaveText(/No open calls/);
  }

  await ada.goto(`${server.url}/board`);
  await ada.getByLabel('Your name').fill('Ada');
  await ada.getByTestId('board-topic').fill('Anyone up for a chat about jazz?');
  await ada.getByTestId('board-post').click();
  await expect(ada.getByTestId('board-mine-notice')).toBeVisible();
  await expect(ada.getByTestId('board-withdraw')).toBeVisible();

  // Both watchers see it appear without reloading, with the poster's name.
  for (const page of [grace, linus]) {
    const entry = page.getByTestId('board-entry');
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText('Anyone up for a chat about jazz?');
    await expect(entry).toContainText('Ada');
  }

  await grace.getByLabel('Your name').fill('Grace');
  await grace.getByTestId('board-answer').click();

  // Poster and answerer are in a call together, video both ways.
  for (const [page, me, peer] of [
    [ada, 'Ada', 'Grace'],
    [grace, 'Grace', 'Ada'],
  ] as const) {
    await expect(page.getByTestId('call')).toBeVisible({ timeout: 20_000 });
    await expect(page.locator('.call__room')).toHaveText(`You and ${peer}`);
    await expect(page.getByTestId('board-topic-notice')).toHaveText(/jazz/);
    await expectPeople(page, [me, peer]);
  }
  await Promise.all([expectDecodingFromAll(ada, 1), expectDecodingFromAll(grace, 1)]);

  // The third page sees the post go.
  await expect(linus.getByTestId('board-entry')).toHaveCount(0);
  await expect(linus.getByTestId('board-empty')).toBeVisible();

  // Leaving the call brings you back to the board.
  await grace.getByTestId('leave').click();
  await expect(grace.getByTestId('board')).toBeVisible();
});

test('a withdrawn post disappears, and one post per person is the default limit', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer();
  const [ada, grace] = [await newPerson(), await newPerson()];
  await grace.goto(`${server.url}/board`);
  await ada.goto(`${server.url}/board`);
  await ada.getByLabel('Your name').fill('Ada');
  await ada.getByTestId('board-topic').fill('Practice French');
  await ada.getByTestId('board-post').click();
  await expect(grace.getByTestId('board-entry')).toHaveCount(1);

  await ada.getByTestId('board-topic').fill('A second one');
  await ada.getByTestId('board-post').click();
  await expect(ada.getByTestId('board-problem')).toHaveText(/as many open calls as allowed/);

  await ada.getByTestId('board-withdraw').click();
  await expect(grace.getByTestId('board-entry')).toHaveCount(0);
  await expect(ada.getByTestId('board-withdraw')).toHaveCount(0);
});

test('the board and meet ask a guest for a name and remember it; an account appears under its own', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer();
  const ada = await newPerson();
  await ada.goto(`${server.url}/board`);
  await ada.getByTestId('board-topic').fill('Jazz?');
  await ada.getByTestId('board-post').click();
  await expect(ada.getByText('Type the name others will see.')).toBeVisible();
  await expect(ada.getByLabel('Your name')).toHaveAttribute('aria-invalid', 'true');
  await expect(ada.getByTestId('board-mine-notice')).toHaveCount(0);
  // Typing clears the complaint; the post goes up under the name.
  await ada.getByLabel('Your name').fill('Ada');
  await expect(ada.getByText('Type the name others will see.')).toHaveCount(0);
  await ada.getByTestId('board-post').click();
  await expect(ada.getByTestId('board-mine-notice')).toBeVisible();

  // The header leads to meet, where the name is already filled in; emptied, it is asked for.
  await ada.getByRole('link', { name: 'Meet someone new' }).click();
  await expect(ada).toHaveURL(/\/meet$/);
  await expect(ada.getByLabel('Your name')).toHaveValue('Ada');
  await ada.getByLabel('Your name').fill('');
  await ada.getByTestId('meet-start').click();
  await expect(ada.getByText('Type the name the other person will see.')).toBeVisible();
  await expect(ada.getByTestId('meet-waiting')).toHaveCount(0);
  await ada.getByRole('link', { name: 'Open-call board' }).click();
  await expect(ada).toHaveURL(/\/board$/);

  // Signed in: no name field, the account's name instead.
  const grace = await newPerson();
  await signUp(grace, server, 'grace');
  await grace.goto(`${server.url}/board`);
  await expect(grace.getByText('You appear as grace.')).toBeVisible();
  await expect(grace.getByLabel('Your name')).toHaveCount(0);
  await grace.goto(`${server.url}/meet`);
  await expect(grace.getByText('You appear as grace.')).toBeVisible();
  await expect(grace.getByLabel('Your name')).toHaveCount(0);
});
