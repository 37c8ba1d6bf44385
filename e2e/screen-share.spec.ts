import type { Page } from '@playwright/test';
import { expect, expectPeople, roomLink, test, tileOf } from './fixtures/parley';
import { ACCOUNT_SERVER, signUpContacts, startCall } from './fixtures/accounts';
import { connectedPeerCount, inboundVideoFrames } from './fixtures/stats';

/**
 * Keep what getDisplayMedia returns on `window.__displayStreams`, so a test can stop
 * the track as the browser's own "Stop sharing" bar does.
 */
async function recordDisplayStreams(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const md = navigator.mediaDevices;
    const original = md.getDisplayMedia.bind(md);
    const kept: MediaStream[] = [];
    (window as unknown as { __displayStreams: MediaStream[] }).__displayStreams = kept;
    md.getDisplayMedia = async (options?: DisplayMediaStreamOptions) => {
      const stream = await original(options);
      kept.push(stream);
      return stream;
    };
  });
}

/** What the browser's "Stop sharing" bar does: the shared track ends. */
async function stopFromBrowserBar(page: Page): Promise<void> {
  await page.evaluate(() => {
    const streams = (window as unknown as { __displayStreams: MediaStream[] }).__displayStreams;
    for (const s of streams) {
      for (const t of s.getVideoTracks()) {
        t.stop();
        // stop() does not fire `ended` on the page that stopped it; the bar does.
        t.dispatchEvent(new Event('ended'));
      }
    }
  });
}

/**
 * The page decodes `count` inbound video streams and every one of them keeps rising
 * (framesDecoded, checked twice over a few seconds): the camera and the screen.
 */
async function expectVideoStreamsRising(page: Page, count: number): Promise<void> {
  const live = async (): Promise<Record<string, number>> => {
    const frames = await inboundVideoFrames(page);
    return Object.fromEntries(Object.entries(frames).filter(([, f]) => f > 0));
  };
  await expect.poll(async () => Object.keys(await live()).length, { timeout: 30_000 }).toBe(count);
  for (let round = 0; round < 2; round++) {
    const before = await live();
    await expect
      .poll(
        async () => {
          const now = await live();
          return Object.keys(before).every((k) => (now[k] ?? 0) > (before[k] ?? 0));
        },
        { timeout: 15_000 },
      )
      .toBe(true);
  }
}

/** Over two seconds: how many inbound video streams brought frames, how many did not. */
async function risingAndStalled(page: Page): Promise<{ rising: number; stalled: number }> {
  const before = await inboundVideoFrames(page);
  await page.waitForTimeout(2_000);
  const after = await inboundVideoFrames(page);
  const keys = Object.keys(after);
  const rising = keys.filter((k) => (after[k] ?? 0) > (before[k] ?? 0)).length;
  return { rising, stalled: keys.length - rising };
}

const spotlight = (page: Page) => page.getByTestId('spotlight').getByTestId('tile');

test('mesh room: a shared screen is a second video in the spotlight, pin is local, the browser bar stops it for everyone', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(90_000);
  const server = await startServer();
  const ada = await newPerson();
  const grace = await newPerson();
  await recordDisplayStreams(ada);
  await ada.goto(roomLink(server, 'share-room', 'Ada'));
  await grace.goto(roomLink(server, 'share-room', 'Grace'));
  for (const page of [ada, grace]) {
    await expectPeople(page, ['Ada', 'Grace']);
  }
  await expectVideoStreamsRising(grace, 1);

  await ada.getByTestId('toggle-screen').click();
  await expect(ada.getByTestId('toggle-screen')).toHaveAttribute(
    'aria-label',
    'Stop sharing screen',
  );
  // Grace: Ada's screen large, both cameras in the strip, and two videos decoding.
  await expect(spotlight(grace)).toHaveAttribute('data-name', 'Ada’s screen');
  await expect(spotlight(grace)).toHaveAttribute('data-kind', 'screen');
  await expect(grace.getByTestId('strip').getByTestId('tile')).toHaveCount(2);
  await expectVideoStreamsRising(grace, 2);
  expect(await connectedPeerCount(grace)).toBe(1);
  await expect(spotlight(ada)).toHaveAttribute('data-name', 'Your screen');
  // The screen keeps its pixels: the text-friendly hint is on the sent track.
  expect(
    await ada.evaluate(
      () =>
        (
          window as unknown as { __displayStreams: MediaStream[] }
        ).__displayStreams[0]?.getVideoTracks()[0]?.contentHint,
    ),
  ).toBe('detail');

  // Grace pins Ada's camera: it takes the large spot for Grace only.
  await tileOf(grace, 'Ada').getByTestId('pin').click();
  await expect(spotlight(grace)).toHaveAttribute('data-name', 'Ada');
  await expect(spotlight(grace)).toHaveAttribute('data-pinned', 'true');
  await expect(spotlight(ada)).toHaveAttribute('data-name', 'Your screen');
  // Keyboard: the pin is a button; Enter on it unpins, and the share is large again.
  await spotlight(grace).getByTestId('pin').focus();
  await grace.keyboard.press('Enter');
  await expect(spotlight(grace)).toHaveAttribute('data-name', 'Ada’s screen');

  // The browser's own "Stop sharing" bar: the share ends for everyone.
  await stopFromBrowserBar(ada);
  for (const page of [ada, grace]) {
    await expect(page.getByTestId('grid')).toHaveAttribute('data-mode', 'grid');
    await expect(page.locator('[data-kind="screen"]')).toHaveCount(0);
  }
  await expect(ada.getByTestId('toggle-screen')).toHaveAttribute('aria-label', 'Share screen');
  // The camera goes on; the screen's stream (its m-line now inactive, still in the
  // stats) no longer brings frames.
  expect(await risingAndStalled(grace)).toEqual({ rising: 1, stalled: 1 });
});

test('direct call: the screen arrives beside the camera and stops with the button', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(90_000);
  const server = await startServer(ACCOUNT_SERVER);
  const ada = await newPerson();
  const ben = await newPerson();
  const { adaUser, benUser } = await signUpContacts(ada, ben, server, { ada: 'adas', ben: 'bens' });
  await startCall(ada, benUser.username, 'video');
  await ben.getByTestId('incoming-call').getByTestId('accept-call').click();
  for (const page of [ada, ben]) {
    await expect(page.getByTestId('call-status')).toHaveText('Connected', { timeout: 30_000 });
  }
  await expectVideoStreamsRising(ben, 1);

  await ada.getByTestId('toggle-screen').click();
  await expect(ben.getByTestId('call-remote-screen')).toBeVisible();
  await expect(ben.getByTestId('call-remote-screen')).toContainText(`${adaUser.username}’s screen`);
  await expectVideoStreamsRising(ben, 2);

  await ada.getByTestId('toggle-screen').click();
  await expect(ben.getByTestId('call-remote-screen')).toHaveCount(0);
  expect(await risingAndStalled(ben)).toEqual({ rising: 1, stalled: 1 });
});
