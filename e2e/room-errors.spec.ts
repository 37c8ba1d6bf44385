import { expect, expectPeople, roomLink, test, tileOf } from './fixtures/parley';
import { expectDecodingFromAll } from './fixtures/stats';

test('someone whose camera is blocked still joins, sees the others, and is told so', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer();
  const ada = await newPerson();
  const grace = await newPerson({ denyCamera: true });
  await ada.goto(roomLink(server, 'no-camera', 'Ada'));
  await grace.goto(roomLink(server, 'no-camera', 'Grace'));

  await expectPeople(grace, ['Ada', 'Grace']);
  await expectPeople(ada, ['Ada', 'Grace']);
  await expect(grace.getByTestId('media-notice')).toContainText(
    'You joined with your microphone only',
  );
  await expect(grace.getByTestId('media-notice')).toContainText('blocked the camera');
  // Grace's mic works, her camera does not: the others see her initials, unmuted.
  await expect(tileOf(ada, 'Grace')).toHaveAttribute('data-camera-off', 'true');
  await expect(tileOf(ada, 'Grace')).toHaveAttribute('data-muted', 'false');
  // And she really sees Ada.
  await expect(tileOf(grace, 'Ada').locator('video')).toBeVisible();
  await expectDecodingFromAll(grace, 1);
});

test('someone with neither camera nor microphone joins to watch and listen', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer();
  const ada = await newPerson();
  const grace = await newPerson({ denyCamera: true, denyMicrophone: true });
  await ada.goto(roomLink(server, 'view-only', 'Ada'));
  await grace.goto(roomLink(server, 'view-only', 'Grace'));
  await expectPeople(grace, ['Ada', 'Grace']);
  await expect(grace.getByTestId('media-notice')).toContainText('you can watch and listen');
  await expect(tileOf(ada, 'Grace')).toHaveAttribute('data-camera-off', 'true');
  await expect(tileOf(ada, 'Grace')).toHaveAttribute('data-muted', 'true');
  await expectDecodingFromAll(grace, 1);
});

test('a full room says so in plain words', async ({ startServer, newPerson }) => {
  const server = await startServer({ maxRoomSize: 2 });
  const names = ['Ada', 'Grace'];
  const inside = [];
  for (const name of names) {
    const page = await newPerson();
    await page.goto(roomLink(server, 'small', name, { video: false }));
    await expectPeople(page, names.slice(0, names.indexOf(name) + 1));
    inside.push(page);
  }
  const linus = await newPerson();
  await linus.goto(roomLink(server, 'small', 'Linus', { video: false }));
  const error = linus.getByTestId('room-error');
  await expect(error).toContainText('This room is full');
  await expect(error.getByRole('button', { name: 'Try again' })).toBeVisible();
  await expect(error.getByRole('button', { name: 'Start page' })).toBeVisible();
  // The two inside are not disturbed and never saw Linus.
  for (const page of inside) {
    await expectPeople(page, names);
  }

  // Someone leaves: "Try again" now gets Linus in.
  await (inside[1] as (typeof inside)[number]).getByTestId('leave').click();
  await error.getByRole('button', { name: 'Try again' }).click();
  await expectPeople(linus, ['Ada', 'Linus']);
  await expectPeople(inside[0] as (typeof inside)[number], ['Ada', 'Linus']);
});

test('an unreachable server is explained, with a retry', async ({ startServer, newPerson }) => {
  const server = await startServer();
  const ada = await newPerson();
  await ada.goto(`${server.url}/r/gone-server`);
  await ada.getByLabel('Your name').fill('Ada');
  await expect(ada.getByTestId('join')).toBeEnabled();
  await server.close();
  await ada.getByTestId('join').click();
  const error = ada.getByTestId('room-error');
  await expect(error).toContainText('Cannot reach the Parley server');
  await expect(error.getByRole('button', { name: 'Try again' })).toBeVisible();

  // The server comes back on the same address: "Try again" gets Ada in.
  await startServer({ port: Number(new URL(server.url).port) });
  await error.getByRole('button', { name: 'Try again' }).click();
  await expectPeople(ada, ['Ada']);
  await expect(ada.getByTestId('call')).toHaveAttribute('data-state', 'joined');
});
