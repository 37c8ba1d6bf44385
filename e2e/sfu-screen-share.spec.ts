import type { Page } from '@playwright/test';
import { expect, expectPeople, roomLink, type Fixtures } from './fixtures/parley';
import { janusProblem, test, type TestJanus } from './fixtures/sfu';
import {
  expectScreenAudioPlaying,
  expectVideoStreamsRising,
  liveVideoStreams,
  screenAudioPlayback,
  recordDisplayStreams,
  sharedContentHint,
  spotlight,
  stopFromBrowserBar,
} from './fixtures/screen';
import { smallCameraLaunch } from './fixtures/small-camera';
import { connectedPeerCount, inboundVideoFrames } from './fixtures/stats';

/**
 * Screen sharing in rooms through Janus (docs/SFU.md, "Screen sharing"): three people
 * with `--mesh-max 2`, so the third join puts the room on the SFU. The sharer's screen
 * is a third m-line of its upload; the others' subscriptions gain it and lose it.
 */
test.skip(janusProblem !== null, janusProblem ?? '');
test.use({ launchOptions: smallCameraLaunch() });
// One retry, as in sfu.spec.ts: in a full CI run (28 Nov) a page's two camera streams
// through Janus did not both bring frames within 15 s, before any share began (a stall
// under load the other SFU suites have also seen; issue #10's note). A test that fails
// twice fails.
test.describe.configure({ retries: 1 });

/** A real Janus, and Parley through it past two people. */
async function sfuServer(
  startServer: Fixtures['startServer'],
  startJanus: () => Promise<TestJanus>,
) {
  const janus = await startJanus();
  const server = await startServer({
    ...janus.sfuOptions,
    meshMax: 2,
    maxRoomSize: 8,
  });
  return server;
}

/** The inbound video streams that `page` decodes now and did not in `before`: the screen. */
async function newStreams(page: Page, before: Record<string, number>): Promise<string[]> {
  return Object.keys(await liveVideoStreams(page)).filter((k) => !(k in before));
}

/** framesDecoded of these streams now (0 for one that is gone). */
async function framesOf(page: Page, keys: string[]): Promise<number[]> {
  const now = await inboundVideoFrames(page);
  return keys.map((k) => now[k] ?? 0);
}

/** Over two seconds, the screen's frames stand still (or its stream is gone). */
async function expectStopped(page: Page, keys: string[]): Promise<void> {
  const before = await framesOf(page, keys);
  await page.waitForTimeout(2_000);
  const after = await framesOf(page, keys);
  // Each stands still, or its stream left the stats with its m-line (0).
  expect(after.map((f, i) => f === 0 || f === before[i])).toEqual(keys.map(() => true));
}

test('room through the SFU: a shared screen reaches the others as a second video of the sharer with its sound playing, and stops for everyone', async ({
  startServer,
  startJanus,
  newPerson,
}) => {
  test.setTimeout(180_000);
  const server = await sfuServer(startServer, startJanus);
  const names = ['Ada', 'Grace', 'Linus'];
  const pages: Page[] = [];
  for (const name of names) {
    const page = await newPerson();
    if (name === 'Ada') {
      await recordDisplayStreams(page);
    }
    await page.goto(roomLink(server, 'sfu-share', name));
    pages.push(page);
  }
  const [ada, grace, linus] = pages as [Page, Page, Page];
  for (const page of pages) {
    await expectPeople(page, names);
  }
  expect(await server.shared.sfuRooms.mode('sfu-share')).toBe('sfu');
  // Through the SFU: each page decodes the two other cameras on its one download.
  for (const page of [grace, linus]) {
    await expectVideoStreamsRising(page, 2, 60_000);
    await expect.poll(() => connectedPeerCount(page), { timeout: 30_000 }).toBe(2);
  }
  const before = {
    grace: await liveVideoStreams(grace),
    linus: await liveVideoStreams(linus),
  };

  await ada.getByTestId('toggle-screen').click();
  await expect(ada.getByTestId('toggle-screen')).toHaveAttribute(
    'aria-label',
    'Stop sharing screen',
  );
  // Grace and Linus: Ada's screen large, three cameras in the strip, and three videos
  // decoding, the screen among them, on the same two connections.
  for (const page of [grace, linus]) {
    await expect(spotlight(page)).toHaveAttribute('data-name', 'Ada’s screen', {
      timeout: 30_000,
    });
    await expect(spotlight(page)).toHaveAttribute('data-kind', 'screen');
    await expect(page.getByTestId('strip').getByTestId('tile')).toHaveCount(3);
    await expectVideoStreamsRising(page, 3, 45_000);
    expect(await connectedPeerCount(page)).toBe(2);
    // The tab's sound comes through Janus too and plays beside Ada's voice.
    await expectScreenAudioPlaying(page);
  }
  await expect(spotlight(ada)).toHaveAttribute('data-name', 'Your screen');
  expect(await sharedContentHint(ada)).toBe('detail');
  const screens = {
    grace: await newStreams(grace, before.grace),
    linus: await newStreams(linus, before.linus),
  };
  expect(screens.grace).toHaveLength(1);
  expect(screens.linus).toHaveLength(1);

  // The browser's own "Stop sharing" bar: the share ends for everyone.
  await stopFromBrowserBar(ada);
  for (const page of pages) {
    await expect(page.getByTestId('grid')).toHaveAttribute('data-mode', 'grid', {
      timeout: 30_000,
    });
    await expect(page.locator('[data-kind="screen"]')).toHaveCount(0);
  }
  for (const page of [grace, linus]) {
    await expect.poll(() => screenAudioPlayback(page), { timeout: 30_000 }).toBeNull();
  }
  await expect(ada.getByTestId('toggle-screen')).toHaveAttribute('aria-label', 'Share screen');
  // Its frames stop; both cameras go on.
  await expectStopped(grace, screens.grace);
  await expectStopped(linus, screens.linus);
  for (const page of [grace, linus]) {
    const cameras = Object.keys(before[page === grace ? 'grace' : 'linus']);
    const first = await framesOf(page, cameras);
    await expect
      .poll(async () => (await framesOf(page, cameras)).every((f, i) => f > (first[i] ?? 0)), {
        timeout: 15_000,
      })
      .toBe(true);
  }
});

test('a share that is on when the room switches to the SFU carries on through Janus', async ({
  startServer,
  startJanus,
  newPerson,
}) => {
  test.setTimeout(180_000);
  const server = await sfuServer(startServer, startJanus);
  const ada = await newPerson();
  const grace = await newPerson();
  await ada.goto(roomLink(server, 'switch-share', 'Ada'));
  await grace.goto(roomLink(server, 'switch-share', 'Grace'));
  for (const page of [ada, grace]) {
    await expectPeople(page, ['Ada', 'Grace']);
  }
  // A mesh of two: Ada shares, Grace decodes her camera and screen on one connection.
  await ada.getByTestId('toggle-screen').click();
  await expect(spotlight(grace)).toHaveAttribute('data-name', 'Ada’s screen', {
    timeout: 30_000,
  });
  await expectVideoStreamsRising(grace, 2, 45_000);
  expect(await connectedPeerCount(grace)).toBe(1);

  // Linus makes three: the room goes through Janus, and the share with it.
  const linus = await newPerson();
  await linus.goto(roomLink(server, 'switch-share', 'Linus'));
  for (const page of [ada, grace, linus]) {
    await expectPeople(page, ['Ada', 'Grace', 'Linus']);
  }
  expect(await server.shared.sfuRooms.mode('switch-share')).toBe('sfu');
  for (const page of [grace, linus]) {
    // Two connections (upload and download) once the mesh has closed.
    await expect.poll(() => connectedPeerCount(page), { timeout: 60_000 }).toBe(2);
    await expect(spotlight(page)).toHaveAttribute('data-name', 'Ada’s screen', {
      timeout: 30_000,
    });
    await expectVideoStreamsRising(page, 3, 60_000);
  }
  await expect(ada.getByTestId('toggle-screen')).toHaveAttribute(
    'aria-label',
    'Stop sharing screen',
  );
});
