/**
 * Participants of a Parley room for the browser benches: one Chromium per participant
 * (so that a participant's CPU is its browser's process tree, bench/lib/proc-cpu.mjs),
 * a fresh context per call, bench/lib/media-probe.js in every page.
 */
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { childrenOf } from './proc-cpu.mjs';

const chromiumSettings = JSON.parse(
  readFileSync(new URL('../../e2e/chromium.json', import.meta.url), 'utf8'),
);
export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? chromiumSettings.executable;
const probe = readFileSync(new URL('./media-probe.js', import.meta.url), 'utf8');

/** The fake camera's frame rate, fixed for every participant and topology. */
export const FAKE_FPS = 15;
/** Each participant's window: a laptop-sized call view, the same for both topologies. */
export const VIEWPORT = { width: 960, height: 540 };

/**
 * The camera every page asks for, `WxH` from BENCH_SFU_CAMERA, or null for the app's own
 * request (640×360). A smaller one lets six browsers fit a loaded 2-core machine.
 */
export const CAMERA = parseCamera(process.env.BENCH_SFU_CAMERA);

function parseCamera(value) {
  if (!value) {
    return null;
  }
  const m = /^(\d+)x(\d+)$/.exec(value);
  if (!m) {
    throw new Error(`BENCH_SFU_CAMERA must be WxH (e.g. 320x180), not "${value}"`);
  }
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** In the page: getUserMedia asks for `camera` instead of the app's size. */
function cameraOverride(camera) {
  const devices = navigator.mediaDevices;
  const original = devices.getUserMedia.bind(devices);
  devices.getUserMedia = (constraints) =>
    original(
      constraints?.video
        ? {
            ...constraints,
            video: { width: { exact: camera.width }, height: { exact: camera.height } },
          }
        : constraints,
    );
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Launch `count` Chromiums one after the other, each with the shared e2e flags and the
 * fake camera at FAKE_FPS; `pid` is each one's main process (a child of this process).
 */
export async function launchBrowsers(count) {
  const args = chromiumSettings.args.map((a) =>
    a === '--use-fake-device-for-media-stream' ? `${a}=fps=${FAKE_FPS}` : a,
  );
  const out = [];
  for (let i = 0; i < count; i++) {
    const before = new Set(childrenOf(process.pid, /chrom/i));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args });
    const mine = childrenOf(process.pid, /chrom/i).filter((pid) => !before.has(pid));
    if (mine.length !== 1) {
      throw new Error(`cannot tell browser ${i + 1}'s process (${mine.length} new Chromiums)`);
    }
    out.push({ browser, pid: mine[0] });
  }
  return out;
}

/**
 * Open a page for one participant in `browser`. `modeChanges` collects the app's
 * `mode-changed` reports (use-room-session.ts logs them), as e2e/sfu.spec.ts does.
 */
export async function openPerson(browser, url) {
  const context = await browser.newContext({
    permissions: ['camera', 'microphone'],
    viewport: VIEWPORT,
  });
  await context.addInitScript(probe);
  if (CAMERA) {
    await context.addInitScript(cameraOverride, CAMERA);
  }
  const page = await context.newPage();
  const modeChanges = [];
  page.on('console', (msg) => {
    const m = /^parley: mode-changed (\{.*\})$/.exec(msg.text());
    if (m) {
      modeChanges.push(JSON.parse(m[1]));
    }
  });
  try {
    // Generous: a page takes long to load on a starved machine.
    await page.goto(url, { timeout: 90_000 });
  } catch (err) {
    await context.close().catch(() => {});
    throw err;
  }
  return { context, page, modeChanges };
}

/**
 * Wait until every page decodes video from all the others over the connections the
 * room's mode implies (mesh: one per other participant; SFU: one up and one down), the
 * old mode's connections closed. `n` is the room's size (more than the pages when some
 * participants are not browsers). Returns each page's streams ({key, at}).
 */
export async function waitDecodingAll(people, mode, deadlineMs, n = people.length) {
  const connections = mode === 'mesh' ? n - 1 : 2;
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const states = await Promise.all(
      people.map((p) => p.page.evaluate(() => window.__sfuBench.decoding())),
    );
    if (states.every((s) => s.connections === connections && s.streams.length === n - 1)) {
      return states.map((s) => s.streams);
    }
    if (Date.now() > deadline) {
      // What a stuck page says to its user (a join that timed out, a room that is full).
      const alerts = await Promise.all(
        people.map((p) =>
          p.page
            .getByRole('alert')
            .allInnerTexts()
            .then(
              (t) => t.join(' / ') || '-',
              () => '?',
            ),
        ),
      );
      throw new Error(
        `${mode}, ${n} people: not everyone decodes everyone after ${deadlineMs} ms ` +
          `(connections/streams per page: ${states.map((s) => `${s.connections}/${s.streams.length}`).join(' ')}, ` +
          `want ${connections}/${n - 1}; alerts per page: ${alerts.join(' | ')})`,
      );
    }
    await sleep(100);
  }
}

/** On the pre-join page: type the name, wait for camera and mic, press Join; its time. */
export async function pressJoin(page, name, deadlineMs) {
  await page.locator('input[name="name"]').fill(name);
  await page
    .getByText('Microphone on · camera on')
    .waitFor({ state: 'visible', timeout: deadlineMs });
  return page.evaluate(() => {
    const t = Date.now();
    document.querySelector('[data-testid="join"]').click();
    return t;
  });
}

export async function closeAll(people) {
  await Promise.all(people.map((p) => p.context.close().catch(() => {})));
}
