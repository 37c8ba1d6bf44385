/**
 * Call set-up in a browser: Chromium with fake camera and mic, N = 2 and 4 participants,
 * on loopback and with HTTP + WebSocket 50 ms of round trip away (bench/lib/delay-proxy;
 * media stays on loopback). N-1 people are already in a call; the clock starts when the
 * last one opens the direct-join link and stops when every participant decodes video
 * from every other (and, separately, when every link has ICE connected). Parley's web
 * app is measured against a bare reference mesh page (bench/reference/mesh), runs
 * interleaved so that the machine's noise falls on both alike.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { startDelayProxy } from '../lib/delay-proxy.mjs';
import { startScript, startServer } from '../lib/servers.mjs';
import { round, summary } from '../lib/stats.mjs';

export const title = 'Call set-up in a browser';

const root = new URL('../..', import.meta.url).pathname;
/** Chromium and its launch flags, shared with playwright.config.ts (e2e/chromium.json). */
const chromiumSettings = JSON.parse(
  readFileSync(new URL('../../e2e/chromium.json', import.meta.url), 'utf8'),
);
const CHROMIUM = process.env.PARLEY_CHROMIUM ?? chromiumSettings.executable;
const probe = readFileSync(new URL('../lib/browser-probe.js', import.meta.url), 'utf8');
const TARGET_RATIO = 1.2;
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 1000);
const ARGS = chromiumSettings.args;

/** Where the page's server is: loopback, and 25 ms each way for HTTP and WebSocket. */
const NETWORKS = [
  { key: 'loopback', label: 'loopback', oneWayMs: 0 },
  { key: 'rtt50', label: '50 ms RTT', oneWayMs: 25 },
];

function settings(quick) {
  const list = (v, d) => (v ? v.split(',').map(Number) : d);
  return quick
    ? { sizes: [2], runs: 1 }
    : {
        sizes: list(process.env.BENCH_SETUP_SIZES, [2, 4]),
        runs: Number(process.env.BENCH_SETUP_RUNS ?? 5),
      };
}

/** The newcomer's timeline, in order (probe field, column title). */
const PHASES = [
  ['loaded', 'page parsed'],
  ['media', 'camera+mic'],
  ['wsOpen', 'WebSocket open'],
  ['joined', 'joined'],
  ['firstPc', 'first RTCPeerConnection'],
  ['offer', 'first offer set'],
  ['answer', 'first answer set'],
  ['ice', 'ICE connected (all)'],
  ['dtls', 'DTLS connected (all)'],
  ['decode', 'all decoding'],
  ['shown', 'all shown'],
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Shown times over the runs where every page showed the video, or null if none did. */
function shownSummary(list) {
  const values = list.map((r) => r.shownMs).filter((v) => v !== null);
  return values.length ? summary(values) : null;
}

/** When page has ICE connected / video decoded on `need` links: the need-th earliest time. */
function doneAt(snap, need, key) {
  const times = snap.pcs
    .map((p) => p[key])
    .filter((t) => t !== null)
    .sort((a, b) => a - b);
  return times.length >= need ? times[need - 1] : null;
}

async function waitUntil(pages, need, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snaps = await Promise.all(pages.map((p) => p.evaluate(() => window.__benchSnapshot())));
    const decoded = snaps.map((s) => doneAt(s, need, 'decoded'));
    if (decoded.every((t) => t !== null)) {
      return snaps;
    }
    if (Date.now() > deadline) {
      const pcs = snaps.reduce((a, s) => a + s.pcs.length, 0);
      const err = new Error(
        `not every page decoded video from ${need} peer(s) in ${timeoutMs} ms ` +
          `(${pcs} peer connections created; per page decoded: ${snaps.map((s) => s.pcs.filter((p) => p.decoded).length).join(',')})`,
      );
      throw err;
    }
    await sleep(25);
  }
}

async function oneRun(browser, base, n, room) {
  const contexts = [];
  try {
    const pages = [];
    for (let i = 0; i < n; i++) {
      const ctx = await browser.newContext({
        permissions: ['camera', 'microphone'],
        viewport: { width: 640, height: 480 },
      });
      contexts.push(ctx);
      await ctx.addInitScript(probe);
      pages.push(await ctx.newPage());
    }
    const link = (i) => `${base}/r/${room}?name=P${i + 1}&audio=1&video=1`;
    // Everyone but the last is already in the call, fully connected.
    for (let i = 0; i < n - 1; i++) {
      await pages[i].goto(link(i));
      const deadline = Date.now() + 30_000;
      while (!(await pages[i].evaluate(() => window.__benchSnapshot().joinedAt))) {
        if (Date.now() > deadline) {
          throw new Error(`participant ${i + 1} never joined`);
        }
        await sleep(25);
      }
      await waitUntil(pages.slice(0, i + 1), i, 30_000);
    }
    // A call in progress: the others have settled (first renders, history, stats
    // monitors started) before the newcomer arrives, as they would have in real use.
    await sleep(SETTLE_MS);
    const t0 = Date.now();
    await pages[n - 1].goto(link(n - 1), { waitUntil: 'commit' });
    const snaps = await waitUntil(pages, n - 1, 30_000);
    // A page may show video a little after decoding it (the newcomer's call view may not
    // be drawn yet): wait for every page to show it too (10 s at most).
    for (let end = Date.now() + 10_000; Date.now() < end; await sleep(25)) {
      for (let i = 0; i < n; i++) {
        if (doneAt(snaps[i], n - 1, 'shown') === null) {
          snaps[i] = await pages[i].evaluate(() => window.__benchSnapshot());
        }
      }
      if (snaps.every((s) => doneAt(s, n - 1, 'shown') !== null)) {
        break;
      }
    }
    const decodeMs = Math.max(...snaps.map((s) => doneAt(s, n - 1, 'decoded'))) - t0;
    const iceMs = Math.max(...snaps.map((s) => doneAt(s, n - 1, 'ice'))) - t0;
    // What the people see: every page shows video from every other (null: one never did).
    const shownAt = snaps.map((s) => doneAt(s, n - 1, 'shown'));
    const shownMs = shownAt.includes(null) ? null : Math.max(...shownAt) - t0;
    // The newcomer's own timeline, to show where set-up time goes.
    const last = snaps[n - 1];
    const since = (t) => (t === null ? null : t - t0);
    const phases = {
      loaded: since(last.loadedAt),
      media: since(last.mediaAt),
      wsOpen: since(last.wsOpenAt),
      joined: since(last.joinedAt),
      firstPc: since(last.firstPcAt),
      offer: since(last.offerAt),
      answer: since(last.answerAt),
      ice: since(doneAt(last, n - 1, 'ice')),
      dtls: since(doneAt(last, n - 1, 'dtls')),
      decode: since(doneAt(last, n - 1, 'decoded')),
      // Decoded video on a page that has not drawn its call view yet is not seen by anyone.
      shown: since(doneAt(last, n - 1, 'shown')),
    };
    return { decodeMs, iceMs, shownMs, phases };
  } finally {
    await Promise.all(contexts.map((c) => c.close().catch(() => {})));
    // Let the closed pages' processes wind down before the next run is timed.
    await sleep(500);
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
  const parley = await startServer('parley', { args: [webDir] });
  const mesh = await startScript('mesh', 'reference/mesh/server.mjs');
  // Before and after in one run: BENCH_SETUP_BASELINE_WEB names another build of the web
  // app (a packages/web/dist from an earlier commit), served by a second Parley.
  const baselineDir = process.env.BENCH_SETUP_BASELINE_WEB;
  const baseline =
    baselineDir && !quick ? await startServer('parley', { args: [baselineDir] }) : null;
  const proxies = [];
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const kinds = [
    { kind: 'mesh', label: 'reference mesh page', port: mesh.port },
    { kind: 'parley', label: 'Parley web app', port: parley.port },
    ...(baseline
      ? [{ kind: 'baseline', label: 'Parley web app, baseline build', port: baseline.port }]
      : []),
  ];
  const targets = [];
  const samples = {};
  /** Failed runs per `network/kind/N`. */
  const failures = {};
  try {
    for (const net of NETWORKS) {
      samples[net.key] = Object.fromEntries(kinds.map((k) => [k.kind, {}]));
      for (const k of kinds) {
        let port = k.port;
        if (net.oneWayMs > 0) {
          const proxy = await startDelayProxy(k.port, net.oneWayMs);
          proxies.push(proxy);
          port = proxy.port;
        }
        targets.push({ ...k, net, base: `http://127.0.0.1:${port}` });
      }
    }
    const attempt = (t, n, room) => oneRun(browser, t.base, n, room);
    if (!quick) {
      // Warm-up: the first call in a fresh browser pays for codec and process start-up.
      for (const t of targets.filter((x) => x.net.oneWayMs === 0)) {
        await attempt(t, 2, `warmup-${t.kind}-${Date.now().toString(36)}`);
      }
    }
    for (const n of s.sizes) {
      for (let i = 0; i < s.runs; i++) {
        for (const t of targets) {
          const room = `bench-${t.kind}-${t.net.key}-${n}-${i}-${Date.now().toString(36)}`;
          // A call that never shows video on every page is a result, not the end of the
          // bench (one N = 4 run at load 25 did that and lost every other figure).
          const r = await attempt(t, n, room).catch((err) => {
            const key = `${t.net.key}/${t.kind}/${n}`;
            failures[key] = (failures[key] ?? 0) + 1;
            progress(`${t.kind} ${t.net.label} N=${n} run ${i + 1}: FAILED: ${err.message}`);
            return null;
          });
          if (!r) {
            continue;
          }
          (samples[t.net.key][t.kind][n] ??= []).push(r);
          progress(
            `${t.kind} ${t.net.label} N=${n} run ${i + 1}: all decoding after ${r.decodeMs} ms, ICE ${r.iceMs} ms, all shown ${r.shownMs ?? 'never'}`,
          );
        }
      }
    }
  } finally {
    await browser.close();
    await Promise.all(proxies.map((p) => p.close()));
    await parley.stop();
    await baseline?.stop();
    await mesh.stop();
  }
  const stats = {};
  for (const net of NETWORKS) {
    stats[net.key] = {};
    for (const k of kinds) {
      stats[net.key][k.kind] = {};
      for (const n of s.sizes) {
        const list = samples[net.key][k.kind][n] ?? [];
        if (!list.length) {
          continue;
        }
        const phase = (key) => {
          const values = list.map((r) => r.phases[key]).filter((v) => v !== null);
          return values.length ? round(summary(values).median, 0) : null;
        };
        stats[net.key][k.kind][n] = {
          decode: summary(list.map((r) => r.decodeMs)),
          ice: summary(list.map((r) => r.iceMs)),
          shown: shownSummary(list),
          phases: Object.fromEntries(PHASES.map(([key]) => [key, phase(key)])),
          runs: list,
        };
      }
    }
  }
  const rows = [];
  const phaseRows = [];
  const targetRows = [];
  for (const net of NETWORKS) {
    for (const n of s.sizes) {
      const ref = stats[net.key].mesh[n];
      for (const k of kinds) {
        const st = stats[net.key][k.kind][n];
        const failed = failures[`${net.key}/${k.kind}/${n}`] ?? 0;
        if (!st) {
          rows.push([net.label, n, k.label, 'unavailable', '', '', '', '', '', '', '', failed]);
          continue;
        }
        rows.push([
          net.label,
          n,
          k.label,
          round(st.decode.median, 0),
          `${round(st.decode.min, 0)}–${round(st.decode.max, 0)}`,
          round(st.ice.median, 0),
          `${round(st.ice.min, 0)}–${round(st.ice.max, 0)}`,
          k.kind === 'mesh' || !ref ? '' : `${round(st.decode.median / ref.decode.median, 2)}×`,
          st.shown ? round(st.shown.median, 0) : 'never',
          st.shown ? `${round(st.shown.min, 0)}–${round(st.shown.max, 0)}` : '',
          k.kind === 'mesh' || !ref?.shown || !st.shown
            ? ''
            : `${round(st.shown.median / ref.shown.median, 2)}×`,
          failed,
        ]);
        phaseRows.push([net.label, n, k.label, ...PHASES.map(([key]) => st.phases[key] ?? '')]);
      }
      const p = stats[net.key].parley[n];
      if (ref && [2, 4].includes(n)) {
        const ratio = p ? p.decode.median / ref.decode.median : NaN;
        targetRows.push([
          `set-up median ≤ ${TARGET_RATIO}× reference, ${net.label}, N = ${n}`,
          p
            ? `${round(ratio, 2)}× (${round(p.decode.median, 0)} vs ${round(ref.decode.median, 0)} ms)`
            : 'unavailable',
          p && ratio <= TARGET_RATIO ? 'met' : 'not met',
        ]);
        const shownRatio = p?.shown && ref.shown ? p.shown.median / ref.shown.median : NaN;
        targetRows.push([
          `video shown both ways, median ≤ ${TARGET_RATIO}× reference, ${net.label}, N = ${n}`,
          p?.shown && ref.shown
            ? `${round(shownRatio, 2)}× (${round(p.shown.median, 0)} vs ${round(ref.shown.median, 0)} ms)`
            : 'unavailable',
          shownRatio <= TARGET_RATIO ? 'met' : 'not met',
        ]);
      }
    }
  }
  return {
    tables: [
      {
        title: `Time from the last participant opening the link to every page decoding, then showing, video from every other (ms, ${s.runs} runs each)`,
        columns: [
          'network',
          'N',
          'page',
          'decode median',
          'decode range',
          'ICE median',
          'ICE range',
          'vs reference',
          'shown median',
          'shown range',
          'shown vs reference',
          'runs without video everywhere in 30 s',
        ],
        rows,
      },
      {
        title:
          'Where the newcomer spends it (ms after opening the link, medians; offer/answer: the first one set on either side)',
        columns: ['network', 'N', 'page', ...PHASES.map(([, title]) => title)],
        rows: phaseRows,
      },
      ...(targetRows.length
        ? [
            {
              title: 'Browser set-up targets',
              columns: ['target', 'value', 'status'],
              rows: targetRows,
            },
          ]
        : []),
    ],
    data: {
      settings: { ...s, networks: NETWORKS },
      failures,
      method: `one Chromium, one context per participant, fake devices; N-1 join one by one and connect fully, then the call settles for ${SETTLE_MS} ms (as a call in progress would have); t0 = the last participant navigating to /r/<room>?name=…&audio=1&video=1; done when every page has framesDecoded > 0 on N-1 peer connections (getStats polled every 20 ms in page) and ICE connected on N-1; shown: every page has a visible <video> with a frame of each of its N-1 incoming video tracks (the set-up as people see it; the "shown" phase is the newcomer's alone); "50 ms RTT": the page and its WebSocket go through a TCP proxy on loopback that holds every chunk 25 ms each way (bench/lib/delay-proxy.mjs), media stays direct; Parley and the reference interleaved run by run (loopback and 50 ms alike) after one warm-up each`,
      stats,
    },
  };
}
