import type { Page } from '@playwright/test';
import type { ParleyServer } from '../packages/server/dist/index.js';
import { expect, test } from './fixtures/parley';
import { connectedPeerCount, inboundVideoFrames } from './fixtures/stats';
import {
  ACCOUNT_SERVER,
  befriend,
  cuttableSocket,
  expectMediaReleased,
  openContacts,
  signUp,
  startCall,
  type E2eUser,
} from './fixtures/accounts';

/** framesDecoded keeps rising on the page's inbound video (checked twice). */
async function expectVideoFlowing(page: Page): Promise<void> {
  await expect.poll(() => connectedPeerCount(page), { timeout: 30_000 }).toBe(1);
  await expect
    .poll(async () => Object.values(await inboundVideoFrames(page)).some((f) => f > 0), {
      timeout: 30_000,
    })
    .toBe(true);
  const sum = async (): Promise<number> =>
    Object.values(await inboundVideoFrames(page)).reduce((a, b) => a + b, 0);
  const before = await sum();
  await page.waitForTimeout(2_000);
  expect(await sum()).toBeGreaterThan(before);
}

const incoming = (page: Page) => page.getByTestId('incoming-call');
const callScreen = (page: Page) => page.getByTestId('call-screen');
const outcome = (page: Page) => page.getByTestId('call-outcome');

test.describe('direct calls', () => {
  let names = 0;
  const unique = (base: string): string => `${base}${++names}${Date.now() % 100000}`;

  async function twoContacts(
    startServer: (o?: object) => Promise<ParleyServer>,
    newPerson: () => Promise<Page>,
    overrides = {},
  ) {
    const server = await startServer({ ...ACCOUNT_SERVER, ...overrides });
    const ada = await newPerson();
    const ben = await newPerson();
    const adaUser = await signUp(ada, server, unique('ada'));
    const benUser = await signUp(ben, server, unique('ben'));
    await befriend(ada, ben, server, benUser, adaUser);
    return { server, ada, ben, adaUser, benUser };
  }

  test('video call: rings, is accepted, video flows both ways, the timer runs, end releases everything', async ({
    startServer,
    newPerson,
  }) => {
    test.setTimeout(90_000);
    const { ada, ben, benUser, adaUser } = await twoContacts(startServer, newPerson);
    await startCall(ada, benUser.username, 'video');
    await expect(callScreen(ada)).toHaveAttribute('data-state', 'ringing');
    await expect(ada.getByTestId('call-status')).toHaveText('Ringing…');
    await expect(incoming(ben)).toHaveAttribute('data-caller', adaUser.username);
    await expect(incoming(ben)).toHaveAttribute('data-media', 'video');
    await expect(incoming(ben)).toHaveAttribute('data-ringtone', /playing|blocked/);

    await incoming(ben).getByTestId('accept-call').click();
    await expect(incoming(ben)).toHaveCount(0);
    for (const page of [ada, ben]) {
      await expect(callScreen(page)).toHaveAttribute('data-state', 'active');
      await expect(page.getByTestId('call-status')).toHaveText('Connected', { timeout: 30_000 });
    }
    await expectVideoFlowing(ada);
    await expectVideoFlowing(ben);
    // The timer runs: it shows at least a second later than at first sight.
    await expect(ada.getByTestId('call-timer')).not.toHaveText('00:00');
    const first = await ben.getByTestId('call-timer').textContent();
    await expect(ben.getByTestId('call-timer')).not.toHaveText(first ?? '', { timeout: 5_000 });
    await expect(ada.getByTestId('contact')).toHaveCount(1);

    await ben.getByTestId('call-end').click();
    for (const page of [ada, ben]) {
      await expect(callScreen(page)).toHaveCount(0);
      await expect(outcome(page)).toHaveAttribute('data-reason', 'hangup');
      await expectMediaReleased(page);
    }
  });

  test('declined: the caller is told and nothing keeps ringing', async ({
    startServer,
    newPerson,
  }) => {
    const { ada, ben, benUser } = await twoContacts(startServer, newPerson);
    await startCall(ada, benUser.username, 'audio');
    await incoming(ben).getByTestId('decline-call').click();
    await expect(incoming(ben)).toHaveCount(0);
    await expect(outcome(ada)).toHaveAttribute('data-reason', 'declined');
    await expect(outcome(ada)).toContainText('declined');
    await expectMediaReleased(ada);
  });

  test('no answer: the call times out (shortened) and becomes a missed call', async ({
    startServer,
    newPerson,
  }) => {
    const { ada, ben, benUser } = await twoContacts(startServer, newPerson, {
      callRingTimeoutMs: 3000,
    });
    await startCall(ada, benUser.username, 'video');
    await expect(incoming(ben)).toBeVisible();
    await expect(outcome(ada)).toHaveAttribute('data-reason', 'no_answer', { timeout: 10_000 });
    await expect(incoming(ben)).toHaveCount(0);
    await expect(ben.getByTestId('missed-badge')).toHaveText('1');
    await ben.getByTestId('history-tab').click();
    await expect(ben.getByTestId('call-history').locator('[data-outcome="missed"]')).toHaveCount(1);
    await expect(ben.getByTestId('missed-badge')).toHaveCount(0);
    await expectMediaReleased(ada);
  });

  test('busy: calling someone who is in another call', async ({ startServer, newPerson }) => {
    const { server, ada, ben, benUser, adaUser } = await twoContacts(startServer, newPerson);
    const cleo = await newPerson();
    const cleoUser: E2eUser = await signUp(cleo, server, unique('cleo'));
    await befriend(cleo, ben, server, benUser, cleoUser);
    void adaUser;
    await startCall(ada, benUser.username, 'audio');
    await incoming(ben).getByTestId('accept-call').click();
    await expect(callScreen(ada)).toHaveAttribute('data-state', 'active');
    await expect(
      cleo.locator(`[data-testid="contact"][data-username="${benUser.username}"]`),
    ).toHaveAttribute('data-presence', 'in_call');
    await startCall(cleo, benUser.username, 'video');
    await expect(outcome(cleo)).toHaveAttribute('data-reason', 'busy');
    await expect(incoming(ben)).toHaveCount(0);
    await expectMediaReleased(cleo);
  });

  test('the caller cancels while it rings', async ({ startServer, newPerson }) => {
    const { ada, ben, benUser } = await twoContacts(startServer, newPerson);
    await startCall(ada, benUser.username, 'video');
    await expect(incoming(ben)).toBeVisible();
    await ada.getByTestId('call-end').click();
    await expect(incoming(ben)).toHaveCount(0);
    await expect(outcome(ben)).toContainText('Missed call from');
    await expect(outcome(ada)).toHaveAttribute('data-reason', 'cancelled');
    await expectMediaReleased(ada);
  });

  test('two tabs ring; answering on one stops the other', async ({ startServer, newPerson }) => {
    test.setTimeout(90_000);
    const { server, ada, ben, benUser } = await twoContacts(startServer, newPerson);
    const benTab2 = await ben.context().newPage();
    await openContacts(benTab2, server);
    await startCall(ada, benUser.username, 'video');
    await expect(incoming(ben)).toBeVisible();
    await expect(incoming(benTab2)).toBeVisible();
    await incoming(benTab2).getByTestId('accept-call').click();
    await expect(incoming(ben)).toHaveCount(0);
    await expect(outcome(ben)).toHaveAttribute('data-reason', 'answered_elsewhere');
    await expect(outcome(ben)).toContainText('answered on another device');
    await expect(callScreen(ben)).toHaveCount(0);
    await expect(callScreen(benTab2)).toHaveAttribute('data-state', 'active');
    await expectVideoFlowing(ada);
  });

  test('a connection lost mid-call ends the call for the other side', async ({
    startServer,
    newPerson,
  }) => {
    test.setTimeout(90_000);
    const server = await startServer({
      ...ACCOUNT_SERVER,
      callDropGraceMs: 1000,
      heartbeatMs: 1000,
    });
    const ada = await newPerson();
    const ben = await newPerson();
    const cut = await cuttableSocket(ben);
    const adaUser = await signUp(ada, server, unique('ada'));
    const benUser = await signUp(ben, server, unique('ben'));
    await befriend(ada, ben, server, benUser, adaUser);
    await startCall(ada, benUser.username, 'video');
    await incoming(ben).getByTestId('accept-call').click();
    await expect(ada.getByTestId('call-status')).toHaveText('Connected', { timeout: 30_000 });
    await cut.set(true);
    await expect(outcome(ada)).toHaveAttribute('data-reason', 'failed', { timeout: 15_000 });
    await expectMediaReleased(ada);
    // Ben's tab learns it too once its connection is back (the end was kept for it).
    await cut.set(false);
    await expect(outcome(ben)).toHaveAttribute('data-reason', 'failed', { timeout: 30_000 });
    await expectMediaReleased(ben);
  });

  test('both call each other at the same moment: one call, connected', async ({
    startServer,
    newPerson,
  }) => {
    test.setTimeout(90_000);
    const { ada, ben, adaUser, benUser } = await twoContacts(startServer, newPerson);
    await Promise.all([
      startCall(ada, benUser.username, 'video'),
      startCall(ben, adaUser.username, 'video'),
    ]);
    for (const page of [ada, ben]) {
      await expect(callScreen(page)).toHaveAttribute('data-state', 'active');
      await expect(page.getByTestId('call-status')).toHaveText('Connected', { timeout: 30_000 });
      await expect(incoming(page)).toHaveCount(0);
    }
    await expectVideoFlowing(ada);
    await expectVideoFlowing(ben);
  });

  test('a callee whose camera is blocked still answers a video call, with sound', async ({
    startServer,
    newPerson,
  }) => {
    test.setTimeout(90_000);
    const server = await startServer(ACCOUNT_SERVER);
    const ada = await newPerson();
    const ben = await newPerson({ denyCamera: true });
    const adaUser = await signUp(ada, server, unique('ada'));
    const benUser = await signUp(ben, server, unique('ben'));
    await befriend(ada, ben, server, benUser, adaUser);
    await startCall(ada, benUser.username, 'video');
    await incoming(ben).getByTestId('accept-call').click();
    await expect(ben.getByTestId('call-status')).toHaveText('Connected', { timeout: 30_000 });
    await expect(ben.getByTestId('call-camera')).toHaveAttribute('aria-pressed', 'true');
    await expectVideoFlowing(ben);
    // Ada sees Ben's initial instead of a video.
    await expect(ada.locator('.direct-call__avatar')).toBeVisible();
  });

  test('a voice call is upgraded to video', async ({ startServer, newPerson }) => {
    test.setTimeout(90_000);
    const { ada, ben, benUser } = await twoContacts(startServer, newPerson);
    await startCall(ada, benUser.username, 'audio');
    await incoming(ben).getByTestId('accept-call').click();
    for (const page of [ada, ben]) {
      await expect(page.getByTestId('call-status')).toHaveText('Connected', { timeout: 30_000 });
      await expect(callScreen(page)).toHaveAttribute('data-media', 'audio');
    }
    // No camera yet: nothing decoded on either side.
    expect(Object.values(await inboundVideoFrames(ben)).every((f) => f === 0)).toBe(true);
    await ada.getByTestId('call-camera').click();
    await expect(callScreen(ada)).toHaveAttribute('data-media', 'video');
    await expect(callScreen(ben)).toHaveAttribute('data-media', 'video');
    await expectVideoFlowing(ben);
    await expect(ben.locator('.direct-call__remote')).toBeVisible();
  });
});
