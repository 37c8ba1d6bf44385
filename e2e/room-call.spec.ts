import { expect, expectPeople, roomLink, test } from './fixtures/parley';
import { peerConnectionsMade } from './fixtures/path-stats';
import { expectDecodingFromAll, socketsOpened } from './fixtures/stats';

test('two people in a room see each other and decode each other’s video', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer();
  const names = ['Ada', 'Grace'];
  const pages = [];
  for (const name of names) {
    const page = await newPerson();
    await page.goto(roomLink(server, 'pair-room', name));
    pages.push(page);
  }
  for (const page of pages) {
    await expectPeople(page, names);
  }
  // Everyone is checked over the same seconds: each sees every stream keep going.
  await Promise.all(pages.map((page) => expectDecodingFromAll(page, 1)));
  // A direct link joins on the socket index.html opened before the app loaded
  // (app/early-start.ts, features/room/early-join.ts): one signaling socket and one
  // peer connection per page, none wasted.
  for (const page of pages) {
    expect(await socketsOpened(page)).toBe(1);
    expect(await peerConnectionsMade(page)).toBe(1);
  }
});

test('four people in a room each decode video from every other', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(120_000);
  const server = await startServer();
  const names = ['Ada', 'Grace', 'Linus', 'Margaret'];
  const pages = [];
  for (const name of names) {
    const page = await newPerson({ viewport: { width: 640, height: 480 } });
    await page.goto(roomLink(server, 'four-room', name));
    pages.push(page);
  }
  for (const page of pages) {
    await expectPeople(page, names);
  }
  await Promise.all(pages.map((page) => expectDecodingFromAll(page, 3)));
});
