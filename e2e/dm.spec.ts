import { expect, test } from './fixtures/parley';
import { ACCOUNT_SERVER, befriend, contactRow, cuttableSocket, signUp } from './fixtures/accounts';

test('direct messages: live delivery, unread badge, history, and an outbox that survives going offline', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer(ACCOUNT_SERVER);
  const ada = await newPerson();
  const ben = await newPerson();
  const cut = await cuttableSocket(ada);
  const adaUser = await signUp(ada, server, 'ada');
  const benUser = await signUp(ben, server, 'ben');
  await befriend(ada, ben, server, benUser, adaUser);

  await contactRow(ada, 'ben').getByRole('button', { name: 'Messages with ben' }).click();
  await ada.getByPlaceholder('Message ben').fill('Hello Ben!');
  await ada.getByPlaceholder('Message ben').press('Enter');
  await expect(ada.getByTestId('dm-message').last()).toHaveAttribute('data-status', 'sent');

  await expect(contactRow(ben, 'ada').getByTestId('unread')).toHaveText('1');
  await contactRow(ben, 'ada').getByRole('button', { name: 'Messages with ada' }).click();
  await expect(ben.getByTestId('dm-message')).toHaveText([/Hello Ben!/]);
  await expect(contactRow(ben, 'ada').getByTestId('unread')).toHaveCount(0);

  // The connection drops (and cannot come back for now): the message waits in the
  // outbox, then goes out once the connection is back.
  await cut.set(true);
  await expect(ada.getByText('Reconnecting…')).toBeVisible({ timeout: 30_000 });
  await ada.getByPlaceholder('Message ben').fill('Written offline');
  await ada.getByPlaceholder('Message ben').press('Enter');
  await expect(ada.getByTestId('dm-message').last()).not.toHaveAttribute('data-status', 'sent');
  await cut.set(false);
  await expect(ada.getByTestId('dm-message').last()).toHaveAttribute('data-status', 'sent', {
    timeout: 30_000,
  });
  await expect(ben.getByTestId('dm-message')).toHaveText([/Hello Ben!/, /Written offline/]);

  // History after a reload, once each.
  await ben.reload();
  await contactRow(ben, 'ada').getByRole('button', { name: 'Messages with ada' }).click();
  await expect(ben.getByTestId('dm-message')).toHaveText([/Hello Ben!/, /Written offline/]);
});
