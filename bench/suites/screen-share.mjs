/**
 * Screen sharing: what the sender pays. Two participants in a mesh room, then three in a
 * room through Janus (`--mesh-max 2`), each in a Chromium of its own with the fake
 * camera (and Chromium's fake screen for getDisplayMedia); the sender's browser process
 * tree's CPU (bench/lib/proc-cpu.mjs) and its uplink (outbound-rtp video bytes) over a
 * window with the camera only, then over a window while it also shares its screen (the
 * Share screen button). Through the SFU the sender uploads once whatever the room's size.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM, closeAll, launchBrowsers, openPerson } from '../lib/call-pages.mjs';
import { parleyReachesJanus, startJanus } from '../lib/janus.mjs';
import { cpuBetween, cpuSnapshot } from '../lib/proc-cpu.mjs';
import { startServer } from '../lib/servers.mjs';
import { round, summary } from '../lib/stats.mjs';

export const title = 'Screen sharing: sender CPU and uplink';

const root = new URL('../..', import.meta.url).pathname;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function settings(quick) {
  return quick
    ? { runs: 1, windowMs: 1_500, settleMs: 300 }
    : { runs: 3, windowMs: 10_000, settleMs: 3_000 };
}

/** Wait until `page` decodes `count` inbound video streams. */
async function waitStreams(page, count, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const d = await page.evaluate(() => window.__sfuBench.decoding());
    if (d.streams.length >= count) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `decoding ${d.streams.length} video streams after ${deadlineMs} ms, want ${count}`,
      );
    }
    await sleep(100);
  }
}

/** Over one window: the sender's CPU (% of a core) and its outbound video, per stream. */
async function measure(sender, pid, windowMs) {
  const read = () => sender.page.evaluate(() => window.__sfuBench.counters());
  const cpu0 = cpuSnapshot();
  const c0 = await read();
  await sleep(windowMs);
  const c1 = await read();
  const cpu1 = cpuSnapshot();
  const cpu = cpuBetween(cpu0, cpu1, { sender: pid });
  const seconds = (c1.at - c0.at) / 1000;
  const streams = Object.entries(c1.rtp)
    .filter(([, s]) => s.type === 'outbound-rtp' && s.kind === 'video')
    .map(([key, s]) => {
      const was = c0.rtp[key] ?? { bytes: 0, frames: 0 };
      return {
        kbps: ((s.bytes - was.bytes) * 8) / 1000 / seconds,
        fps: (s.frames - was.frames) / seconds,
        width: s.width ?? 0,
        height: s.height ?? 0,
      };
    })
    .filter((s) => s.kbps > 1);
  return {
    cpuPct: cpu.trees.sender,
    videoKbps: streams.reduce((a, s) => a + s.kbps, 0),
    streams,
  };
}

/** One run with `n` people (the sender is P1): a window on the camera, one while sharing. */
async function oneRun(browsers, base, s, run, n) {
  const room = `screen-${run}-${Date.now().toString(36)}`;
  const link = (i) => `${base}/r/${room}?name=P${i + 1}&audio=1&video=1`;
  const people = [];
  try {
    for (let i = 0; i < n; i++) {
      people.push(await openPerson(browsers[i].browser, link(i)));
    }
    await Promise.all(people.map((p) => waitStreams(p.page, n - 1, 60_000)));
    await sleep(s.settleMs);
    const camera = await measure(people[0], browsers[0].pid, s.windowMs);
    await people[0].page.getByTestId('toggle-screen').click();
    await Promise.all(people.slice(1).map((p) => waitStreams(p.page, n, 60_000)));
    await sleep(s.settleMs);
    const sharing = await measure(people[0], browsers[0].pid, s.windowMs);
    return { camera, sharing };
  } finally {
    await closeAll(people);
  }
}

export async function run({ quick, progress }) {
  if (!existsSync(CHROMIUM)) {
    const reason = `Chromium not found at ${CHROMIUM} (apt-get install chromium; .ci/run does)`;
    if (process.env.CI === 'true') {
      throw new Error(`CI: ${reason}`);
    }
    progress(`SKIPPED: ${reason}`);
    return { tables: [], data: { skipped: reason } };
  }
  const webDir = join(root, 'packages/web/dist');
  if (!existsSync(join(webDir, 'index.html'))) {
    throw new Error('no built web app in packages/web/dist: run `npm run build` first');
  }
  const s = settings(quick);
  const janus = await startJanus().catch((err) =>
    /not found/.test(err.message) ? null : Promise.reject(err),
  );
  const topologies = [
    { name: 'mesh', n: 2, args: [webDir] },
    ...(janus
      ? [
          {
            name: 'SFU (Janus)',
            n: 3,
            args: [
              webDir,
              `--sfu-url=${janus.url}`,
              `--sfu-api-secret=${janus.apiSecret}`,
              `--sfu-admin-key=${janus.adminKey}`,
              '--mesh-max=2',
            ],
          },
        ]
      : []),
  ];
  if (!janus) {
    progress('janus not found: the mesh only (apt-get install janus; .ci/run does)');
  }
  const browsers = await launchBrowsers(Math.max(...topologies.map((t) => t.n)));
  const results = [];
  try {
    for (const topology of topologies) {
      const parley = await startServer('parley', { args: topology.args });
      const base = `http://127.0.0.1:${parley.port}`;
      const runs = [];
      try {
        if (janus && topology.n > 2) {
          await parleyReachesJanus(base);
        }
        for (let i = 0; i < s.runs; i++) {
          const r = await oneRun(browsers, base, s, i, topology.n);
          runs.push(r);
          progress(
            `${topology.name} run ${i + 1}: camera ${round(r.camera.cpuPct, 0)}% CPU ${round(r.camera.videoKbps, 0)} kbit/s; ` +
              `sharing ${round(r.sharing.cpuPct, 0)}% CPU ${round(r.sharing.videoKbps, 0)} kbit/s`,
          );
        }
      } finally {
        await parley.stop();
      }
      results.push({ topology: topology.name, n: topology.n, runs });
    }
  } finally {
    await Promise.all(browsers.map((b) => b.browser.close().catch(() => {})));
    await janus?.stop();
  }
  // The screen is the stream at the larger resolution while sharing (not simulcast).
  const screenOf = (m) =>
    [...m.streams].sort((a, b) => b.width * b.height - a.width * a.height)[0] ?? null;
  const rowsOf = (runs, label) => {
    const med = (phase, f) => round(summary(runs.map((r) => f(r[phase]))).median, 0);
    return [
      [
        label,
        'camera only',
        med('camera', (m) => m.cpuPct),
        med('camera', (m) => m.videoKbps),
        '',
        '',
      ],
      [
        label,
        'camera + screen',
        med('sharing', (m) => m.cpuPct),
        med('sharing', (m) => m.videoKbps),
        med('sharing', (m) => screenOf(m)?.kbps ?? 0),
        (() => {
          const sc = screenOf(runs[runs.length - 1].sharing);
          return sc ? `${sc.width}×${sc.height} @ ${round(sc.fps, 1)} fps` : 'none';
        })(),
      ],
    ];
  };
  return {
    tables: [
      {
        title: `Sender, medians of ${s.runs} run(s), ${s.windowMs / 1000} s windows`,
        columns: [
          'room',
          'sender sends',
          'CPU % of a core',
          'video uplink kbit/s',
          'of it screen kbit/s',
          'screen as sent',
        ],
        rows: results.flatMap((r) => rowsOf(r.runs, `${r.topology}, ${r.n} people`)),
      },
    ],
    data: {
      settings: s,
      method:
        'one Chromium per participant, fake camera and fake screen; the sender is P1; CPU of its browser process tree from /proc; uplink = outbound-rtp video bytes over the window (every simulcast layer through the SFU); first a window with the camera only, then after Share screen and once the others decode every video; a mesh of 2, then 3 people through Janus (--mesh-max 2)',
      results,
    },
  };
}
