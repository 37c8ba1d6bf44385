import { janusProblem, startParleyJanus } from '../packages/server/test/support/janus';
import { expect, expectPeople, roomLink, test } from './fixtures/parley';
import { expectDecodingFromAll, inboundFrameWidths } from './fixtures/stats';

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

test('a tile that grows gets a higher simulcast layer through Janus (received frameWidth)', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(120_000);
  const janus = await startParleyJanus();
  try {
    const server = await startServer({
      sfuUrl: janus.url,
      sfuApiSecret: janus.apiSecret,
      sfuAdminKey: janus.adminKey,
      meshMax: 2,
      maxRoomSize: 8,
    });
    const names = ['Ada', 'Grace', 'Linus'];
    const pages = [];
    for (const name of names) {
      const page = await newPerson({ viewport: { width: 360, height: 300 } });
      await page.goto(roomLink(server, 'layers', name));
      pages.push(page);
    }
    // The last one joined the room on the SFU: no mesh connections closing under the test.
    const viewer = pages[2]!;
    await expectPeople(viewer, names);
    await expectDecodingFromAll(viewer, 2, 20_000, 2);
    // Small tiles: the lowest layer.
    await expect(viewer.getByTestId('grid')).toHaveAttribute('data-layer', '0');
    const widest = async (): Promise<number> =>
      Math.max(0, ...Object.values(await inboundFrameWidths(viewer)));
    // Janus starts a subscriber on the highest layer; the lowest (a quarter of the
    // camera's width, 320 at most) arrives once the app's choice is applied.
    await expect
      .poll(widest, { timeout: 30_000, message: 'the lowest layer should arrive' })
      .toBeGreaterThan(0);
    let widths: number[] = [];
    await expect
      .poll(
        async () => {
          widths = Object.values(await inboundFrameWidths(viewer));
          return widths.length === 2 && widths.every((w) => w <= 320);
        },
        { timeout: 30_000, message: 'the lowest layer should arrive from both' },
      )
      .toBe(true);
    const small = await widest();
    // A large window: the tiles grow, the app asks for the full layer, and what arrives is wider.
    await viewer.setViewportSize({ width: 1280, height: 800 });
    await expect(viewer.getByTestId('grid')).toHaveAttribute('data-layer', '2');
    await expect
      .poll(widest, {
        timeout: 30_000,
        message: `frameWidth should grow past ${small} (${widths.join(', ')})`,
      })
      .toBeGreaterThan(small);
  } finally {
    await janus.process.dispose();
  }
});
