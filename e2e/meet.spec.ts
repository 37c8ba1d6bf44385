import type { Page } from '@playwright/test';
import { expect, expectPeople, test, type ServerAddress } from './fixtures/parley';
import { expectDecodingFromAll } from './fixtures/stats';

// Short waits so that the rules show within a test: anyone is paired after 1 s, and a
// skipped pair stays apart for the whole test.
const MEET_SERVER = { meetAnyoneAfterMs: 1_000, meetSkipMs: 120_000, meetNextIntervalMs: 500 };

/** Open /meet as a guest, give a name and interests, press Start. */
async function startMeet(
  page: Page,
  server: ServerAddress,
  name: string,
  interests = '',
): Promise<void> {
  await page.goto(`${server.url}/meet`);
  await page.getByLabel('Your name').fill(name);
  if (interests) {
    await page.getByLabel('Interests (optional)').fill(interests);
  }
  await page.getByTestId('meet-start').click();
}

/** The call header of a pairing says who the other person is. */
async function expectPairedWith(page: Page, me: string, peer: string): Promise<void> {
  await expect(page.getByTestId('call')).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('.call__room')).toHaveText(`You and ${peer}`);
  await expectPeople(page, [me, peer]);
}

async function expectWaiting(page: Page, queue: RegExp): Promise<void> {
  await expect(page.getByTestId('meet-waiting')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('meet-queue')).toHaveText(queue, { timeout: 20_000 });
}

test('strangers are paired and see each other; Next, Report and Block keep them apart', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(150_000);
  const server = await startServer(MEET_SERVER);
  const ada = await newPerson();
  const grace = await newPerson();
  const linus = await newPerson();

  // Two strangers: paired once the interest wait is over, and video flows both ways.
  await startMeet(ada, server, 'Ada', 'chess, jazz');
  await expectWaiting(ada, /Only you are waiting/);
  await startMeet(grace, server, 'Grace');
  await expectPairedWith(ada, 'Ada', 'Grace');
  await expectPairedWith(grace, 'Grace', 'Ada');
  await Promise.all([expectDecodingFromAll(ada, 1), expectDecodingFromAll(grace, 1)]);

  // A third person waits while the two talk.
  await startMeet(linus, server, 'Linus', 'Chess');
  await expectWaiting(linus, /Only you are waiting/);

  // Next: Ada moves on and, sharing "chess" with Linus, is paired with him; Grace is
  // told and waits (she may not meet Ada again so soon).
  await ada.getByTestId('meet-next').click();
  await expectPairedWith(ada, 'Ada', 'Linus');
  await expectPairedWith(linus, 'Linus', 'Ada');
  await expect(ada.getByTestId('meet-common')).toHaveText(/chess/);
  await expect(grace.getByTestId('meet-ended')).toHaveText(/They moved on/);
  await expectWaiting(grace, /Only you are waiting/);
  await Promise.all([expectDecodingFromAll(ada, 1), expectDecodingFromAll(linus, 1)]);

  // Report: Ada reports Linus. She may not meet him (reported) nor Grace (skipped), so
  // she waits; Linus is told, and is paired with Grace.
  await ada.getByTestId('meet-report').click();
  const dialog = ada.getByTestId('report-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('report-send')).toBeDisabled();
  await dialog.getByLabel('Spam or advertising').check();
  await dialog.getByTestId('report-send').click();
  await expectPairedWith(linus, 'Linus', 'Grace');
  await expectPairedWith(grace, 'Grace', 'Linus');
  await expectWaiting(ada, /Only you are waiting/);

  // Block: Grace blocks Linus. Now nobody may meet anybody: all three wait.
  await grace.getByTestId('meet-block').click();
  for (const page of [ada, grace, linus]) {
    await expectWaiting(page, /3 people waiting/);
  }
  await expect(linus.getByTestId('meet-ended')).toHaveText(/They moved on/);

  // Stop leaves the queue at once: the others see it.
  await ada.getByTestId('meet-stop').click();
  await expect(ada.getByTestId('meet-start')).toBeVisible();
  for (const page of [grace, linus]) {
    await expectWaiting(page, /2 people waiting/);
  }
});
