/**
 * Quality through the SFU, in Chromium against a real Janus: a tile off screen has its
 * video paused and resumed, a tile that grows gets a higher simulcast layer (getStats()
 * shows the received frameWidth grow), and the speaking highlight follows the audio
 * Janus forwards.
 *
 * As few browsers as the SFU allows, so that it holds on two loaded cores: --mesh-max 2
 * puts a room of three on the SFU, and all seats but two are bare WebSockets from Node
 * (no media): they fill the watcher's grid, so that it scrolls in a small window. One
 * page publishes a 960×540 fake camera (enough for Chromium to send all three layers:
 * 960, 480 and 240 wide) and the fake microphone's beep; the other sends nothing and
 * watches. Every wait is a poll with a generous deadline, and the layer check asserts a
 * change of layer (narrow, then wider), not an exact width. Each step of the layer check
 * prints what the publisher sends per rid (frames and key frames encoded, PLIs, target
 * bitrate, quality limitation) and its bandwidth estimate, so that a failure says which
 * side held back. The window often grows within a second of the resume's key frame
 * request, when Janus drops the switch's own (docs/SFU.md): the videoroom's regular key
 * frame (--sfu-keyframe-interval) completes the switch then.
 */
import type WebSocket from 'ws';
import type { Page } from '@playwright/test';
import { bareSeat } from './fixtures/bare-seat';
import { expect, roomLink, tileNames, tileOf } from './fixtures/parley';
import { janusProblem, test } from './fixtures/sfu';
import { recordSignaling } from './fixtures/signaling-log';
import { inboundFrameWidths, inboundVideoFrames, outboundVideoLayers } from './fixtures/stats';

test.skip(janusProblem !== null, janusProblem ?? '');

/** Ask for a larger camera than the app does, so that simulcast has three layers. */
function largeCamera(): void {
  const devices = navigator.mediaDevices;
  const original = devices.getUserMedia.bind(devices);
  devices.getUserMedia = (constraints?: MediaStreamConstraints) =>
    original(
      constraints?.video
        ? { ...constraints, video: { width: { exact: 960 }, height: { exact: 540 } } }
        : constraints,
    );
}

/** framesDecoded of all the page's inbound video (one sender here). */
async function framesDecoded(page: Page): Promise<number> {
  return Object.values(await inboundVideoFrames(page)).reduce((a, b) => a + b, 0);
}

/** Resolves once framesDecoded rises (true) or stands still for 2 s (false). */
async function expectDecoding(page: Page, rising: boolean, message: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const before = await framesDecoded(page);
        await page.waitForTimeout(2_000);
        const after = await framesDecoded(page);
        return rising ? after > before : after === before && before > 0;
      },
      { timeout: 45_000, intervals: [0], message },
    )
    .toBe(true);
}

/** Whether any pixel of `name`'s tile is inside the grid's visible box. */
async function inView(page: Page, name: string): Promise<boolean> {
  const grid = await page.getByTestId('grid').boundingBox();
  const tile = await tileOf(page, name).boundingBox();
  return Boolean(grid && tile && tile.y < grid.y + grid.height && tile.y + tile.height > grid.y);
}

test('through Janus: a tile off screen is paused and resumes, a grown tile gets a higher layer, the speaker is shown', async ({
  startServer,
  startJanus,
  newPerson,
}) => {
  test.setTimeout(360_000);
  const janus = await startJanus();
  const seats: WebSocket[] = [];
  let trace = (): string => '';
  let inboundVideoDetail = async (): Promise<string> => '';
  try {
    const { url: sfuUrl, apiSecret: sfuApiSecret, adminKey: sfuAdminKey } = janus;
    const server = await startServer({
      sfuUrl,
      sfuApiSecret,
      sfuAdminKey,
      meshMax: 2,
      maxRoomSize: 10,
    });
    // Seven seats without media: the room is on the SFU before Grace and Ada come.
    const seatNames = Array.from({ length: 7 }, (_, i) => `Seat ${i + 1}`);
    for (const name of seatNames) {
      seats.push(await bareSeat(server.wsUrl, 'quality', name));
    }
    const grace = await newPerson({ viewport: { width: 480, height: 360 } });
    await grace.context().addInitScript(largeCamera);
    await grace.goto(roomLink(server, 'quality', 'Grace'));
    // On two loaded cores a page can take long to load and join: wait for that first.
    const joined = { timeout: 120_000 };
    await expect(grace.getByTestId('call')).toHaveAttribute('data-state', 'joined', joined);
    await expect.poll(() => tileNames(grace), joined).toEqual(['Grace', ...seatNames].sort());
    // The watcher joins last and sends nothing. Its window is so small that the stage
    // scrolls: Grace's tile is the last, alone on the third row, below the fold.
    const ada = await newPerson({ viewport: { width: 400, height: 250 } });
    // What the watcher asked of the SFU and the errors it got, shown if a step fails.
    const signaling = recordSignaling(ada);
    const asked: string[] = [];
    ada.on('websocket', (ws) =>
      ws.on('framesent', ({ payload }) => {
        if (typeof payload === 'string' && /"sfu-(pause|layer|restart)"/.test(payload)) {
          asked.push(`${new Date().toISOString().slice(11, 23)} ${payload}`);
        }
      }),
    );
    inboundVideoDetail = () =>
      ada.evaluate(async () => {
        const pcs = (window as unknown as { __pcs?: RTCPeerConnection[] }).__pcs ?? [];
        const out: unknown[] = [];
        for (const pc of pcs) {
          (await pc.getStats()).forEach((r: Record<string, unknown>) => {
            if (r.type === 'inbound-rtp' && r.kind === 'video') {
              const { packetsReceived, framesReceived, framesDecoded, keyFramesDecoded } = r;
              const { pliCount, firCount, nackCount, frameWidth, packetsLost } = r;
              out.push({ packetsReceived, framesReceived, framesDecoded, keyFramesDecoded });
              out.push({ pliCount, firCount, nackCount, frameWidth, packetsLost });
            }
          });
        }
        return JSON.stringify(out);
      });
    trace = () => {
      const errors = signaling.received.filter((r) => r.message.type === 'error');
      return `sent:\n${asked.join('\n')}\nerrors: ${JSON.stringify(errors)}`;
    };
    await ada.goto(roomLink(server, 'quality', 'Ada', { audio: false, video: false }));
    await expect(ada.getByTestId('call')).toHaveAttribute('data-state', 'joined', joined);
    await expect.poll(() => tileNames(ada), joined).toEqual(['Ada', 'Grace', ...seatNames].sort());
    expect(await server.shared.sfuRooms.mode('quality')).toBe('sfu');
    const grid = ada.getByTestId('grid');
    await expect(grid).toHaveAttribute('data-scroll', 'true');
    await expect(grid).toHaveAttribute('data-layer', '0');
    const tile = tileOf(ada, 'Grace');
    await expect(tile).toHaveAttribute('data-connection', 'connected', { timeout: 30_000 });

    // In view first: her video decodes.
    await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    expect(await inView(ada, 'Grace')).toBe(true);
    await expectDecoding(ada, true, "Grace's video should decode while her tile is seen");

    // Off screen: the app pauses Grace's video, says so on her tile, and nothing decodes.
    await grid.evaluate((el) => el.scrollTo({ top: 0 }));
    expect(await inView(ada, 'Grace')).toBe(false);
    await expect(tile).toHaveAttribute('data-video-paused', 'true', { timeout: 15_000 });
    await expect(tile.getByTestId('video-paused')).toBeVisible();
    await expect(tile.locator('video')).toHaveCount(0);
    await expectDecoding(ada, false, "Grace's video should stop while her tile is off screen");

    // Scrolled into view again: her video comes again.
    const stalled = await framesDecoded(ada);
    const scrolledAt = Date.now();
    await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    expect(await inView(ada, 'Grace')).toBe(true);
    await expect(tile).toHaveAttribute('data-video-paused', 'false', { timeout: 15_000 });
    await expect(tile.locator('video')).toHaveCount(1);
    await expect
      .poll(() => framesDecoded(ada), {
        // After a long pause Chromium took up to 15 s to decode again (docs/SFU.md).
        timeout: 90_000,
        intervals: [100],
        message: "Grace's video should flow again once her tile is seen",
      })
      .toBeGreaterThan(stalled);
    console.log(`sfu-layers: video back ${Date.now() - scrolledAt} ms after the tile was seen`);

    // What Grace sends, per layer: printed with each step of the layer check.
    const sent = async (): Promise<string> => {
      const { layers, availableOutgoingBitrate } = await outboundVideoLayers(grace);
      const each = layers.map(
        (l) =>
          `${l.rid}:${l.active ? '' : 'inactive,'}${l.frameWidth}w,${l.framesEncoded}f,` +
          `${l.keyFramesEncoded}kf,${l.pliCount}pli,` +
          `${Math.round(l.targetBitrate / 1000)}k,${l.qualityLimitationReason}`,
      );
      return `bwe ${Math.round(availableOutgoingBitrate / 1000)}k ${each.join(' ')}`;
    };
    // Small tiles: the lowest layer (a quarter of 960, so 240 wide, or less when the
    // busy encoder scales down) arrives once Janus applies the choice.
    let widths: number[] = [];
    const widest = async (): Promise<number> => {
      widths = Object.values(await inboundFrameWidths(ada));
      return Math.max(0, ...widths);
    };
    await expect
      .poll(widest, { timeout: 60_000, message: 'the lowest layer should arrive' })
      .toBeGreaterThan(0);
    await expect
      .poll(widest, { timeout: 60_000, message: 'the lowest layer should arrive' })
      .toBeLessThanOrEqual(320);
    const small = await widest();
    console.log(`sfu-layers: layer 0 at ${small} wide; Grace sends ${await sent()}`);

    // A large window: the grid fits without scrolling, the tiles grow, the app asks for
    // a higher layer, and what arrives is wider.
    await ada.setViewportSize({ width: 1280, height: 800 });
    await expect(grid).toHaveAttribute('data-scroll', 'false');
    await expect(grid).not.toHaveAttribute('data-layer', '0');
    await expect(tile).toHaveAttribute('data-video-paused', 'false');
    const grownAt = Date.now();
    await expect
      .poll(
        async () => {
          const w = await widest();
          console.log(
            `sfu-layers: +${Date.now() - grownAt} ms ${w} wide; Grace sends ${await sent()}`,
          );
          return w;
        },
        {
          timeout: 60_000,
          intervals: [2_000],
          message: `frameWidth should grow past ${small} (${widths.join(', ')})`,
        },
      )
      .toBeGreaterThan(small);
    const layer = await grid.getAttribute('data-layer');
    console.log(
      `sfu-layers: frameWidth ${small} at layer 0, ${await widest()} at layer ${layer} ` +
        `${Date.now() - grownAt} ms after the window grew`,
    );

    // Grace's fake microphone beeps: her voice, forwarded by Janus, lights up her tile.
    await expect
      .poll(async () => tile.getAttribute('data-speaking'), {
        timeout: 30_000,
        intervals: [100],
        message: "Grace's tile should show her speaking",
      })
      .toBe('true');
  } catch (err) {
    console.log(trace());
    console.log(`inbound video: ${await inboundVideoDetail()}`);
    throw err;
  } finally {
    seats.forEach((s) => s.close());
  }
});
