import WebSocket from 'ws';
import type { Page } from '@playwright/test';
import { expect, expectPeople, joinTogether, roomLink, tileNames, tileOf } from './fixtures/parley';
import { janusProblem, test } from './fixtures/sfu';
import { bareSeat } from './fixtures/bare-seat';
import { smallCameraLaunch } from './fixtures/small-camera';
import { recordSignaling, type SignalingLog } from './fixtures/signaling-log';
import { connectedPeerCount, expectDecodingFromAll, inboundVideoFrames } from './fixtures/stats';

/** Small windows: several people share two CPU cores. */
const small = { viewport: { width: 480, height: 360 } };

test.skip(janusProblem !== null, janusProblem ?? '');
// Every browser films a 320x180 pattern at 15 fps (fixtures/small-camera.ts): a sixth
// of the default camera's pixels, so rooms of five or six encoders through the SFU leave
// two cores some room.
test.use({ launchOptions: smallCameraLaunch() });
// Rooms of four and five browsers through Janus on two cores: a run in CI has seen a page
// whose subscription lacked a stream, or whose second connection never came up, where the
// rerun passed. One retry, reported as "flaky" in the summary, until that is understood
// (issue #10's note); a test that fails twice fails.
test.describe.configure({ retries: 1 });

test('five people at a low resolution decode one another through Janus after the switch', async ({
  startServer,
  startJanus,
  newPerson,
}) => {
  test.setTimeout(180_000);
  const janus = await startJanus();
  const server = await startServer({
    ...janus.sfuOptions,
    meshMax: 2,
    maxRoomSize: 8,
  });
  const names = ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken'];
  const pages = await joinTogether(server, newPerson, 'sfu-room', names, {}, small);
  for (const page of pages) {
    await expectPeople(page, names);
  }
  expect(await server.shared.sfuRooms.mode('sfu-room')).toBe('sfu');
  // Through the SFU: one upload and one download per page, four inbound videos on it.
  await Promise.all(pages.map((page) => expectDecodingFromAll(page, 4, 20_000, 2)));
});

interface ModeChange {
  mode: 'mesh' | 'sfu';
  switchMs: number;
  gapMs: number;
  timedOut: boolean;
}

/**
 * Where a page's switch to the SFU spent its time, from its socket: ms after `room-mode`
 * of its upload's offer (`>publish`) and Janus's answer (`answer`), of each offer for its
 * download (`offer`, with how many streams it carries), its answer (`>answer`) and that
 * answer taken (`subscribed`), e.g. ">publish@300 answer@900 offer(2)@2400 >answer@2500 …".
 */
function switchTimeline(log: SignalingLog): string {
  const start = log.received.find((r) => r.message.type === 'room-mode')?.at;
  if (start === undefined) {
    return 'no room-mode';
  }
  const label: Record<string, string> = {
    'sfu-publish': '>publish',
    'sfu-subscriber-answer': '>answer',
    'sfu-answer': 'answer',
    'sfu-offer': 'offer',
    'sfu-subscribed': 'subscribed',
  };
  return [...log.received, ...log.sent]
    .filter((r) => r.at >= start && label[r.message.type] !== undefined)
    .sort((a, b) => a.at - b.at)
    .map((r) => {
      const streams =
        r.message.type === 'sfu-offer' ? `(${String((r.message.streams as []).length)})` : '';
      return `${label[r.message.type] as string}${streams}@${r.at - start}`;
    })
    .join(' ');
}

/** The `mode-changed` events the app logs (use-room-session.ts), as they come. */
function modeChanges(page: Page): ModeChange[] {
  const seen: ModeChange[] = [];
  page.on('console', (msg) => {
    const m = /^parley: mode-changed (\{.*\})$/.exec(msg.text());
    if (m) {
      seen.push(JSON.parse(m[1] as string) as ModeChange);
    }
  });
  return seen;
}

// The fifth is a bare seat without media (mic and camera off). During the switch every
// browser runs its mesh and its SFU connections at once (make before break); with five
// browsers on two cores, pages lost 20–75 % of their packets, a run had no page reach the
// SFU within a minute, and the gaps were 12–16 s (load average 25). Four browsers is the
// load of the 'Janus killed' test; the four pages that switch are the ones measured, and
// 'five people' above covers five browsers through Janus.
test('a room of four gains a fifth and switches to Janus while frames keep flowing (the gap is reported)', async ({
  startServer,
  startJanus,
  newPerson,
}) => {
  test.setTimeout(240_000);
  const janus = await startJanus();
  let fifth: WebSocket | undefined;
  try {
    const server = await startServer({
      ...janus.sfuOptions,
    });
    const names = ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken'];
    const pages: Page[] = [];
    const changes: ModeChange[][] = [];
    const logs: SignalingLog[] = [];
    for (const name of names.slice(0, 4)) {
      const page = await newPerson(small);
      changes.push(modeChanges(page));
      logs.push(recordSignaling(page));
      await page.goto(roomLink(server, 'grows', name));
      pages.push(page);
    }
    for (const page of pages) {
      await expectPeople(page, names.slice(0, 4));
      await expectDecodingFromAll(page, 3);
    }
    expect(await server.shared.sfuRooms.mode('grows')).toBe('mesh');

    fifth = await bareSeat(server.wsUrl, 'grows', 'Ken');
    // Each page reports the switch once the SFU reaches everyone (room-switch.ts): after
    // the 10 s switch timeout too, with the gap. On a loaded machine that can take a while.
    await expect
      .poll(() => changes.every((c) => c.length > 0), {
        timeout: 60_000,
        message: 'every page reports the switch to the SFU',
      })
      .toBe(true)
      .catch(async (error: Error) => {
        const seen = await Promise.all(
          pages.map(async (page, i) => ({
            changes: changes[i]?.length ?? 'n/a',
            connected: await connectedPeerCount(page),
            inbound: Object.keys(await inboundVideoFrames(page)).length,
            tiles: (await tileNames(page)).length,
            steps: switchTimeline(logs[i] as SignalingLog),
          })),
        );
        error.message += `\nper page: ${JSON.stringify(seen)}`;
        throw error;
      });
    const gaps = changes.map((c) => c[0] as ModeChange);
    console.log(`mesh → SFU at five: ${JSON.stringify(gaps)}`);
    // Where the time went (issue #10: the switch takes over the 10 s timeout here).
    console.log(
      `switch steps per page (ms after room-mode):\n${logs.map(switchTimeline).join('\n')}`,
    );
    test.info().annotations.push({ type: 'switch', description: JSON.stringify(gaps) });
    for (const change of gaps) {
      expect(change.mode).toBe('sfu');
      // Reported, not required to be 0: on a loaded 2-core machine with five browsers the
      // SFU may not reach everyone within the 10 s switch timeout, and the mesh closes
      // first (docs/SFU.md, "Measured": gaps of 2–14 s seen in CI). The bound only says
      // that video comes back on its own, well before anyone would give up and rejoin.
      expect(change.gapMs).toBeLessThan(20_000);
    }
    for (const page of pages) {
      await expectPeople(page, names);
      await expectDecodingFromAll(page, 3, 20_000, 2);
      // Ken publishes nothing to Janus: the server says so (his media state), and his
      // tile shows his initials, not a "Connecting…" that would never end.
      await expect(tileOf(page, 'Ken')).toHaveAttribute('data-connection', 'connected');
      await expect(tileOf(page, 'Ken')).not.toContainText('Connecting…');
    }
  } finally {
    fifth?.close();
  }
});

test('Janus killed mid-call: a four-person room goes back to a mesh and decodes again', async ({
  startServer,
  startJanus,
  newPerson,
}) => {
  test.setTimeout(240_000);
  const janus = await startJanus();
  const server = await startServer({
    ...janus.sfuOptions,
    meshMax: 2,
  });
  const names = ['Ada', 'Grace', 'Linus', 'Margaret'];
  const pages: Page[] = [];
  const changes: ModeChange[][] = [];
  for (const name of names) {
    const page = await newPerson(small);
    changes.push(modeChanges(page));
    await page.goto(roomLink(server, 'fallback', name));
    pages.push(page);
  }
  for (const page of pages) {
    await expectPeople(page, names);
  }
  await expectDecodingFromAll(pages[3]!, 3, 20_000, 2);
  expect(await server.shared.sfuRooms.mode('fallback')).toBe('sfu');

  await janus.process.kill();
  await expect
    .poll(() => changes.every((c) => c.at(-1)?.mode === 'mesh'), { timeout: 60_000 })
    .toBe(true);
  console.log(`SFU → mesh, Janus killed: ${JSON.stringify(changes.map((c) => c.at(-1)))}`);
  expect(await server.shared.sfuRooms.mode('fallback')).toBe('mesh');
  for (const page of pages) {
    await expectDecodingFromAll(page, 3, 20_000);
  }

  // A browser cannot reach another room's videoroom by forging a message: it names
  // no room (strict schemas), and only peers whose video it receives.
  const [victim] = await server.shared.rooms.members('fallback');
  const replies = await pages[0]!.evaluate(
    async ({ url, victimId }) => {
      const ws = new WebSocket(url);
      const got: Array<{ type: string; code?: string; rid?: string }> = [];
      ws.onmessage = (e) => got.push(JSON.parse(e.data as string));
      await new Promise((r) => (ws.onopen = r));
      const wait = async (pred: (m: (typeof got)[number]) => boolean) => {
        for (let i = 0; i < 100 && !got.some(pred); i++) {
          await new Promise((r) => setTimeout(r, 50));
        }
        return got.find(pred);
      };
      ws.send(JSON.stringify({ type: 'hello', v: 1 }));
      await wait((m) => m.type === 'welcome');
      ws.send(
        JSON.stringify({
          type: 'join',
          room: 'elsewhere',
          name: 'Mallory',
          media: { audio: false, video: false },
        }),
      );
      await wait((m) => m.type === 'joined');
      const offer = { type: 'offer', sdp: 'v=0' };
      ws.send(JSON.stringify({ type: 'sfu-publish', jsep: offer, room: 'fallback', rid: 'a' }));
      ws.send(JSON.stringify({ type: 'sfu-publish', jsep: offer, rid: 'b' }));
      ws.send(JSON.stringify({ type: 'sfu-layer', peerId: victimId, substream: 2, rid: 'c' }));
      const codes = [];
      for (const rid of ['a', 'b', 'c']) {
        codes.push((await wait((m) => m.type === 'error' && m.rid === rid))?.code);
      }
      ws.close();
      return codes;
    },
    { url: server.wsUrl, victimId: victim?.peerId ?? '' },
  );
  expect(replies).toEqual(['bad_message', 'not_sfu', 'not_sfu']);
});
