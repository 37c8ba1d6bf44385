import type { Page } from '@playwright/test';
import { expect, expectPeople, roomLink } from './fixtures/parley';
import { janusProblem, test } from './fixtures/sfu';
import {
  missingAtSeats,
  startWrtcSeats,
  type SeatStatus,
  type WrtcSeats,
} from './fixtures/wrtc-seats.mjs';
import { smallCameraLaunch } from './fixtures/small-camera';
import { recordSignaling, type SignalingLog } from './fixtures/signaling-log';
import { expectDecodingFromAll, inboundVideoDetail, outboundVideoLayers } from './fixtures/stats';

test.skip(janusProblem !== null, janusProblem ?? '');

/** The camera of every one of the eight, pages and wrtc participants alike. */
const EIGHT_CAMERA = { width: 160, height: 120, fps: 10 };

// Its own file because the camera is a launch option, one per file (sfu.spec.ts films
// 320x180 at 15 fps for its rooms of four and five).
test.use({
  launchOptions: smallCameraLaunch(EIGHT_CAMERA.width, EIGHT_CAMERA.height, EIGHT_CAMERA.fps),
});
// As sfu.spec.ts: one retry, reported as "flaky" in the summary. This test failed in two
// full CI runs before the SFU upload learnt to publish again after a lost reply and a
// subscription stopped asking for a feed twice; since, it passed 3 of 3 under two extra
// CPU hogs (where it failed 4 of 4 before). A test that fails twice fails.
test.describe.configure({ retries: 1 });

/** Per inbound stream of `inboundVideoDetail`: frames decoded, packets lost, width. */
function streamsOf(detail: unknown): string[] {
  const { streams } = detail as { streams: Record<string, unknown>[] };
  return streams.map(
    (s) => `${String(s.framesDecoded)}f/${String(s.packetsLost)}lost/${String(s.frameWidth)}w`,
  );
}

// Eight people through Janus, all with video and sound: four Chromium pages and four
// SDK participants on wrtc in one Node process (fixtures/wrtc-seats.mjs, the launcher
// the SFU bench uses too). Eight Chromiums starved each other on this machine's two
// cores (30-75 % of the packets lost on loopback, streams stalled); four of them beside
// one wrtc process is what two cores carry with Janus. Every page decodes the seven
// other cameras; every wrtc participant decodes the seven others' frames and receives
// their audio.
//
// The load is kept low on purpose, because at 320x180 and 15 fps this test passed alone
// but failed in a full CI run (a page's streams stalled with packets lost, a page not
// listing the others within 30 s): every camera is 160x120 at 10 fps (pages and wrtc
// alike; Chromium sends a single simulcast layer at that size), the room goes through
// Janus from its third person (--mesh-max 2, so nobody runs a mesh and the SFU at
// once), and the waits are long (people 90 s, streams up 60 s, each rise of every
// stream 30 s) while what is asserted stays strict: every stream must keep decoding.
/**
 * Runs `check`; when it fails, the error says per page how its subscription went (offers
 * with their stream counts, answers sent, answers Janus took, errors) and per wrtc
 * participant its state and errors: a page short of streams, or a connection
 * reconnecting, then says whether an answer went untaken (issue #10).
 */
async function explainEight(
  logs: SignalingLog[],
  seats: WrtcSeats,
  check: () => Promise<void>,
): Promise<void> {
  try {
    await check();
  } catch (error) {
    const perPage = logs.map((log, i) => {
      const got = (type: string) => log.received.filter((r) => r.message.type === type);
      const offers = got('sfu-offer').map((r) => (r.message.streams as []).length);
      const answers = log.sent.filter((r) => r.message.type === 'sfu-subscriber-answer').length;
      const errors = got('error').map((r) => `${String(r.message.code)}`);
      return `page ${i}: offers(streams) ${JSON.stringify(offers)}, answers ${answers}, subscribed ${got('sfu-subscribed').length}, errors ${JSON.stringify(errors)}`;
    });
    const wrtc = seats.status().map((s) => ({
      name: s.name,
      state: s.state,
      errors: s.errors,
      peers: s.participants.map((p) => `${p.name}:${p.connection}:${p.videoFrames}`),
    }));
    (error as Error).message +=
      `\n${perPage.join('\n')}\nwrtc: ${JSON.stringify(wrtc)}\n${seats.log().slice(-800)}`;
    throw error;
  }
}

test('eight people through Janus: every camera and microphone reaches every other participant', async ({
  startServer,
  startJanus,
  newPerson,
}) => {
  test.setTimeout(360_000);
  const janus = await startJanus();
  let seats: WrtcSeats | undefined;
  try {
    const server = await startServer({
      ...janus.sfuOptions,
      meshMax: 2,
    });
    const seatNames = ['Ken', 'Barbara', 'Dennis', 'Frances'];
    const wrtc = startWrtcSeats({
      wsUrl: server.wsUrl,
      room: 'eight',
      names: seatNames,
      ...EIGHT_CAMERA,
    });
    seats = wrtc;
    await wrtc.joined();
    const names = ['Ada', 'Grace', 'Linus', 'Margaret'];
    const everyone = [...names, ...seatNames];
    const pages: Page[] = [];
    const logs: SignalingLog[] = [];
    await explainEight(logs, wrtc, async () => {
      // One after the other, as people arrive: each page is in the call, seeing everyone
      // so far, before the next one loads (four pages booting at once on a saturated
      // machine is a load no user's machine sees).
      for (const [i, name] of names.entries()) {
        const page = await newPerson({ viewport: { width: 400, height: 300 } });
        logs.push(recordSignaling(page));
        await page.goto(roomLink(server, 'eight', name));
        pages.push(page);
        await expectPeople(page, [...seatNames, ...names.slice(0, i + 1)], 90_000);
      }
      for (const page of pages) {
        await expectPeople(page, everyone, 90_000);
      }
      expect(await server.shared.sfuRooms.mode('eight')).toBe('sfu');
      for (const page of pages) {
        await expectDecodingFromAll(page, everyone.length - 1, 30_000, 2, 60_000);
      }
      // Every wrtc participant: frames decoded and audio received from the seven others,
      // still rising over a second look (not only a first frame).
      const othersOf = (name: string): string[] => everyone.filter((n) => n !== name);
      let since: SeatStatus[] = [];
      for (let look = 0; look < 2; look++) {
        await expect
          .poll(() => missingAtSeats(wrtc.status(), othersOf, since), {
            timeout: 60_000,
            message: `every wrtc participant receives the seven others (${wrtc.log().slice(-500)})`,
          })
          .toEqual([]);
        since = wrtc.status();
      }
      const decoded = since.map((s) => [
        s.name,
        s.participants.map((p) => `${p.name}:${p.videoFrames}`),
      ]);
      console.log(`eight: frames each wrtc participant decoded: ${JSON.stringify(decoded)}`);
      const inbound = await Promise.all(pages.map((page) => inboundVideoDetail(page)));
      console.log(`eight: each page's inbound video: ${JSON.stringify(inbound.map(streamsOf))}`);
      const sent = await Promise.all(pages.map((page) => outboundVideoLayers(page)));
      const layers = sent.map(({ layers: l }) =>
        l.map((x) => `${x.rid}:${x.active ? x.frameWidth : 'off'}@${x.framesPerSecond}`),
      );
      console.log(`eight: each page's video layers sent: ${JSON.stringify(layers)}`);
    });
  } finally {
    await seats?.stop();
  }
});
