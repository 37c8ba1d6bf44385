import { janusProblem, startParleyJanus } from '../packages/server/test/support/janus';
import { expect, expectPeople, roomLink, test } from './fixtures/parley';
import { expectDecodingFromAll } from './fixtures/stats';

test.skip(janusProblem !== null, janusProblem ?? '');

test('five people at a low resolution decode one another through Janus after the switch', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(180_000);
  const janus = await startParleyJanus();
  try {
    const server = await startServer({
      sfuUrl: janus.url,
      sfuApiSecret: janus.apiSecret,
      sfuAdminKey: janus.adminKey,
      meshMax: 2,
      maxRoomSize: 8,
    });
    const names = ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken'];
    const pages = [];
    for (const name of names) {
      const page = await newPerson({ viewport: { width: 480, height: 360 } });
      await page.goto(roomLink(server, 'sfu-room', name));
      pages.push(page);
    }
    for (const page of pages) {
      await expectPeople(page, names);
    }
    expect(await server.shared.sfuRooms.mode('sfu-room')).toBe('sfu');
    // Through the SFU: one upload and one download per page, four inbound videos on it.
    await Promise.all(pages.map((page) => expectDecodingFromAll(page, 4, 20_000, 2)));
  } finally {
    await janus.process.dispose();
  }
});
