import { expect, expectPeople, joinTogether, roomLink, test } from './fixtures/parley';
import { peerConnectionsMade } from './fixtures/path-stats';
import { expectDecodingFromAll, socketsOpened } from './fixtures/stats';
import { timeFirstRender } from './fixtures/browser-scripts';
import {
  NEAR_SERVER_MS,
  SETTLE_LIMIT_MS,
} from '../packages/web/src/features/room/early-join-limits';

/** Small windows: several people share two CPU cores. */
const small = { viewport: { width: 640, height: 480 } };

test('two people in a room see each other and decode each other’s video', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer();
  const names = ['Ada', 'Grace'];
  const pages = await joinTogether(server, newPerson, 'pair-room', names);
  for (const page of pages) {
    await expectPeople(page, names);
  }
  // Everyone is checked over the same seconds: each sees every stream keep going.
  await Promise.all(pages.map((page) => expectDecodingFromAll(page, 1)));
  // One's own camera shows as in a mirror; the other person's as their camera sees them.
  const mirrored = (page: (typeof pages)[number], self: boolean) =>
    page
      .locator(`[data-testid="tile"][data-self="${self}"] video`)
      .evaluate((v) => getComputedStyle(v).transform);
  for (const page of pages) {
    expect(await mirrored(page, true)).toBe('matrix(-1, 0, 0, 1, 0, 0)');
    expect(await mirrored(page, false)).toBe('none');
  }
  // A direct link joins on the socket index.html opened before the app loaded
  // (app/early-start.ts, features/room/early-join.ts): one signaling socket and one
  // peer connection per page, none wasted.
  for (const page of pages) {
    expect(await socketsOpened(page)).toBe(1);
    expect(await peerConnectionsMade(page)).toBe(1);
  }
});

test('from a near server, a direct link opens on the call view once its offer is answered', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer();
  const ada = await newPerson();
  await ada.goto(roomLink(server, 'answer-first', 'Ada'));
  await expectPeople(ada, ['Ada']);
  const grace = await newPerson();
  await grace.addInitScript(timeFirstRender);
  await grace.goto(roomLink(server, 'answer-first', 'Grace'));
  await expectPeople(grace, ['Ada', 'Grace']);
  await expectDecodingFromAll(grace, 1);
  const { rendered, answered, callFirst, startingShown, firstByte } = await grace.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const times = (
      window as unknown as {
        __firstRender: {
          rendered: number;
          answered: number;
          callFirst: boolean;
          startingShown: boolean;
        };
      }
    ).__firstRender;
    return { ...times, firstByte: nav.responseStart - nav.requestStart };
  });
  expect(answered, 'the answer to the newcomer’s offer was applied').not.toBeNull();
  // The app's first render would hold the page's thread while the answer waits: from a
  // near server it comes after the answer, or after the wait's limit (which runs from
  // when the bundle has run, so later than SETTLE_LIMIT_MS after the page started).
  if (firstByte < NEAR_SERVER_MS) {
    expect(
      rendered >= answered || rendered >= SETTLE_LIMIT_MS,
      `first render at ${rendered} ms, answer applied at ${answered} ms`,
    ).toBe(true);
    // The early join had the devices already: no "starting" page before the call.
    expect(callFirst, 'the first render is the call view').toBe(true);
    expect(startingShown, 'the "starting" page never showed').toBe(false);
  } else {
    test.info().annotations.push({
      type: 'not exercised',
      description: `the page's first byte came after ${firstByte} ms: a far server`,
    });
  }
});

test('four people in a room each decode video from every other', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(120_000);
  const server = await startServer();
  const names = ['Ada', 'Grace', 'Linus', 'Margaret'];
  const pages = await joinTogether(server, newPerson, 'four-room', names, {}, small);
  for (const page of pages) {
    await expectPeople(page, names);
  }
  await Promise.all(pages.map((page) => expectDecodingFromAll(page, 3)));
});
