/**
 * Mesh against the SFU (Janus), issue 10's "Measure": per participant, uplink and
 * downlink bitrate and browser CPU at N = 4 and 6 with the same room as a mesh and
 * through Janus; set-up time from pressing Join to decoding everyone, both ways; and the
 * gap in decoded video when a room of four gains a fifth and moves to the SFU.
 *
 * One real Janus (configured by `parley janus-config`) and Parley servers that differ
 * only in --mesh-max: one keeps every room here a mesh, one sends anything past two
 * people through Janus, one has the default (4) for the switch. One Chromium per
 * participant, so a participant's CPU is its browser's process tree.
 *
 * BENCH_SFU_BROWSERS=B: at most B Chromiums in a call; the first participants of a
 * larger one are SDK participants on wrtc in one Node process (e2e/fixtures/wrtc-seats.mjs,
 * 160×120 at 15 fps and a tone): load that two cores can carry beside the browsers,
 * which are the ones measured (their uplink, downlink and CPU; set-up and switch as the
 * pages see them).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  CAMERA,
  CHROMIUM,
  FAKE_FPS,
  VIEWPORT,
  closeAll,
  launchBrowsers,
  openPerson,
  pressJoin,
  waitDecodingAll,
} from '../lib/call-pages.mjs';
import { startJanus } from '../lib/janus.mjs';
import { cpuBetween, cpuSnapshot } from '../lib/proc-cpu.mjs';
import { startServer } from '../lib/servers.mjs';
import { round, summary } from '../lib/stats.mjs';
import { startWrtcSeats } from '../../e2e/fixtures/wrtc-seats.mjs';

export const title = 'Mesh against the SFU (Janus) in a browser';

const root = new URL('../..', import.meta.url).pathname;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function settings(quick) {
  return quick
    ? // Three is the smallest room the SFU server sends through Janus (--mesh-max 2). Its
      // newcomer moves the room from a mesh of two: that is the (smallest) switch, read
      // from the same call rather than from calls of its own (switchRuns 0), to stay short.
      {
        sizes: [3],
        setupRuns: 1,
        settleMs: 500,
        windowMs: 2000,
        restMs: 300,
        switchFrom: 2,
        switchRuns: 0,
        maxBrowsers: 0,
      }
    : {
        // BENCH_SFU_SIZES=4, BENCH_SFU_RUNS=1 and BENCH_SFU_SWITCH_RUNS=1 make a shorter
        // full run (a busy machine); BENCH_SFU_CAMERA=320x180 a lighter camera (call-pages).
        sizes: (process.env.BENCH_SFU_SIZES ?? '4,6').split(',').map(Number),
        setupRuns: Number(process.env.BENCH_SFU_RUNS ?? 2),
        settleMs: 10_000,
        windowMs: 15_000,
        // Between calls, for the closed pages' processes to wind down.
        restMs: 1000,
        switchFrom: 4,
        switchRuns: Number(process.env.BENCH_SFU_SWITCH_RUNS ?? 3),
        // 0: one Chromium per participant.
        maxBrowsers: Number(process.env.BENCH_SFU_BROWSERS ?? 0),
      };
}
/** Generous: a loaded 2-core machine with six browsers is slow, and --quick must not fail. */
const DEADLINE_MS = 90_000;
/** A call in progress: the others have settled before the newcomer presses Join. */
const IN_CALL_MS = 1000;

/** How many of a call of `size` are wrtc participants rather than browsers. */
const wrtcIn = (s, size) => (s.maxBrowsers > 0 ? Math.max(0, size - s.maxBrowsers) : 0);

const link = (base, room, name) =>
  `${base}/r/${room}${name ? `?name=${name}&audio=1&video=1` : ''}`;
const uniqueRoom = (tag) => `bench-${tag}-${Date.now().toString(36)}`;

/**
 * `count` people join one by one, each waiting for the others, into `people` (the
 * caller's, so that it closes them even when this fails half-way: a call left running in
 * the background would load every later one): in a call of `load.size` with more than
 * `s.maxBrowsers` the first ones as wrtc participants (`load.seats`, stopped by the
 * caller too), the rest as pages by direct link.
 */
async function gather(server, browsers, room, count, s, people, load) {
  const wrtc = Math.min(count, wrtcIn(s, load.size));
  if (wrtc > 0) {
    const t0 = Date.now();
    const names = Array.from({ length: wrtc }, (_, i) => `P${i + 1}`);
    load.seats = startWrtcSeats({
      wsUrl: `${server.base.replace(/^http/, 'ws')}/ws`,
      room,
      names,
    });
    await load.seats.joined();
    s.progress(`  ${room}: ${wrtc} wrtc participants in after ${Date.now() - t0} ms`);
  }
  for (let i = wrtc; i < count; i++) {
    const t0 = Date.now();
    people.push(await openPerson(browsers[i - wrtc].browser, link(server.base, room, `P${i + 1}`)));
    const mode = server.modeAt(i + 1);
    await waitDecodingAll(people, mode, DEADLINE_MS, i + 1);
    s.progress(`  ${room}: ${i + 1} in (${mode}), all decoding after ${Date.now() - t0} ms`);
  }
}

/** RTP rates of one page between two `counters()` reads. */
function pageRates(a, b) {
  const seconds = (b.at - a.at) / 1000;
  const kbps = (bytes) => round((bytes * 8) / 1000 / seconds, 0);
  const sum = { up: 0, down: 0, upVideo: 0 };
  const layers = [];
  const received = [];
  const sizes = [];
  for (const [key, now] of Object.entries(b.rtp)) {
    const was = a.rtp[key];
    if (!was) {
      continue;
    }
    const bytes = (now.bytes ?? 0) - (was.bytes ?? 0);
    const frames = (now.frames ?? 0) - (was.frames ?? 0);
    if (now.type === 'outbound-rtp') {
      sum.up += bytes;
      if (now.kind === 'video') {
        sum.upVideo += bytes;
        if (bytes > 0) {
          layers.push({ width: now.width, height: now.height, fps: frames / seconds });
        }
      }
    } else {
      sum.down += bytes;
      if (now.kind === 'video') {
        received.push(frames / seconds);
        sizes.push(`${now.width}×${now.height}`);
      }
    }
  }
  const top = layers.reduce((m, l) => (!m || (l.width ?? 0) > (m.width ?? 0) ? l : m), null);
  return {
    upKbps: kbps(sum.up),
    upVideoKbps: kbps(sum.upVideo),
    downKbps: kbps(sum.down),
    videoStreamsSent: layers.length,
    topLayer: top ? `${top.width}×${top.height}@${round(top.fps, 0)}` : 'none',
    receivedFps: round(summary(received).median, 1),
    receivedSizes: sizes,
    source: b.source,
  };
}

/** Bitrates and CPU of a settled call over a steady window. */
async function measureWindow(people, browsers, others, s) {
  await Promise.all(people.map((p) => p.page.evaluate(() => window.__sfuBench.watch(false))));
  await sleep(s.settleMs);
  const read = () =>
    Promise.all(people.map((p) => p.page.evaluate(() => window.__sfuBench.counters())));
  const cpu0 = cpuSnapshot();
  const c0 = await read();
  await sleep(s.windowMs);
  const c1 = await read();
  const cpu1 = cpuSnapshot();
  const roots = Object.fromEntries(people.map((_, i) => [`P${i + 1}`, browsers[i].pid]));
  const cpu = cpuBetween(
    cpu0,
    cpu1,
    { ...roots, ...others },
    {
      'bench driver': process.pid,
    },
  );
  return {
    participants: people.map((_, i) => ({
      ...pageRates(c0[i], c1[i]),
      cpuPct: round(cpu.trees[`P${i + 1}`], 1),
    })),
    cpu,
  };
}

/** One call of n people: set-up time of the n-th; with `measure`, then the steady window. */
async function oneCall(server, browsers, n, s, measure, others) {
  const room = uniqueRoom(`${server.kind}${n}`);
  const people = [];
  const load = { seats: null, size: n };
  try {
    await gather(server, browsers, room, n - 1, s, people, load);
    await sleep(IN_CALL_MS);
    const last = await openPerson(browsers[people.length].browser, link(server.base, room));
    people.push(last);
    const t0 = await pressJoin(last.page, `P${n}`, DEADLINE_MS);
    const streams = await waitDecodingAll(people, server.modeAt(n), DEADLINE_MS, n);
    const setupMs = Math.max(...streams.flat().map((x) => x.at)) - t0;
    // The newcomer moved a mesh to the SFU: the others' reports of that switch.
    const moved = server.modeAt(n - 1) === 'mesh' && server.modeAt(n) === 'sfu';
    const switched = moved ? await switchReports(people.slice(0, -1)) : null;
    const around = load.seats ? { ...others, 'wrtc participants': load.seats.pid } : others;
    const window = measure ? await measureWindow(people, browsers, around, s) : null;
    return { setupMs, window, switched };
  } finally {
    await closeAll(people);
    await load.seats?.stop();
    await sleep(s.restMs);
  }
}

/** The `mode-changed` report of each of `movers` for its move to the SFU, once all have one. */
async function switchReports(movers) {
  const deadline = Date.now() + DEADLINE_MS;
  while (!movers.every((p) => p.modeChanges.some((c) => c.mode === 'sfu'))) {
    if (Date.now() > deadline) {
      throw new Error(`switch: not every page reported mode-changed in ${DEADLINE_MS} ms`);
    }
    await sleep(100);
  }
  return movers.map((p) => p.modeChanges.find((c) => c.mode === 'sfu'));
}

/** A room of `from` (a mesh) gains one more and moves to the SFU: the app's reports. */
async function oneSwitch(server, browsers, from, s) {
  const room = uniqueRoom('switch');
  const people = [];
  const load = { seats: null, size: from + 1 };
  try {
    await gather(server, browsers, room, from, s, people, load);
    await sleep(IN_CALL_MS);
    const movers = [...people];
    people.push(
      await openPerson(browsers[people.length].browser, link(server.base, room, `P${from + 1}`)),
    );
    const reports = await switchReports(movers);
    // It counts only if everyone then decodes everyone through Janus.
    await waitDecodingAll(people, 'sfu', DEADLINE_MS, from + 1);
    return reports;
  } finally {
    await closeAll(people);
    await load.seats?.stop();
    await sleep(s.restMs);
  }
}

function skip(progress, reason) {
  if (process.env.CI === 'true') {
    throw new Error(`CI: ${reason}`);
  }
  progress(`SKIPPED: ${reason}`);
  return { tables: [], data: { skipped: reason } };
}

export async function run({ quick, progress }) {
  if (!existsSync(CHROMIUM)) {
    return skip(progress, `Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
  }
  const webDir = join(root, 'packages/web/dist');
  if (!existsSync(join(webDir, 'index.html'))) {
    throw new Error('no built web app in packages/web/dist: run `npm run build` first');
  }
  const s = { ...settings(quick), progress };
  const janus = await startJanus().catch((err) =>
    /not found/.test(err.message) ? null : Promise.reject(err),
  );
  if (!janus) {
    return skip(progress, 'janus not found (apt-get install janus; .ci/run does)');
  }
  const started = [];
  const browsers = [];
  try {
    progress(`Janus up at ${janus.url}`);
    const maxN = Math.max(...s.sizes, s.switchFrom + 1);
    const browserCount = s.maxBrowsers > 0 ? Math.min(maxN, s.maxBrowsers) : maxN;
    const parley = async (kind, meshMax) => {
      const srv = await startServer('parley', {
        args: [
          webDir,
          `--sfu-url=${janus.url}`,
          `--sfu-api-secret=${janus.apiSecret}`,
          `--sfu-admin-key=${janus.adminKey}`,
          `--mesh-max=${meshMax}`,
        ],
      });
      started.push(srv);
      const base = `http://127.0.0.1:${srv.port}`;
      await waitJanusReady(base);
      return { ...srv, kind, base, meshMax, modeAt: (n) => (n > meshMax ? 'sfu' : 'mesh') };
    };
    const servers = {
      mesh: await parley('mesh', Math.max(...s.sizes)),
      sfu: await parley('sfu', 2),
    };
    const switchServer = s.switchRuns > 0 ? await parley('switch', s.switchFrom) : null;
    browsers.push(...(await launchBrowsers(browserCount)));
    progress(
      `${browserCount} Chromiums up (one per participant` +
        (browserCount < maxN ? `; more in a call are on wrtc in one Node process)` : ')'),
    );
    const others = {
      Janus: janus.pid,
      'Parley (mesh server)': servers.mesh.pid,
      'Parley (SFU server)': servers.sfu.pid,
      ...(switchServer ? { 'Parley (switch server)': switchServer.pid } : {}),
    };

    if (!quick) {
      // Warm-up: the first call in fresh browsers pays for codec and process start-up.
      await oneCall(servers.sfu, browsers, 3, s, false, others);
      progress('warm-up call done');
    }
    const calls = {};
    const harvested = [];
    // A call that does not settle (a starved machine) is tried once more; a second
    // failure ends a --quick run (something is broken) and is recorded in a full one.
    const failures = [];
    const attempt = async (what, fn) => {
      for (let i = 0; ; i++) {
        try {
          return await fn();
        } catch (err) {
          if (/has been closed/.test(err.message)) {
            throw err; // a browser is gone: nothing after this would mean anything
          }
          failures.push({ what, error: err.message });
          progress(`${what}: ${err.message}${i === 0 ? '; once more' : ''}`);
          if (i > 0) {
            if (quick) {
              throw err;
            }
            return null;
          }
        }
      }
    };
    for (const n of s.sizes) {
      for (let run = 0; run < s.setupRuns; run++) {
        // Interleaved, so that the machine's noise falls on both alike.
        for (const mode of ['mesh', 'sfu']) {
          const measure = run === s.setupRuns - 1;
          const what = `${mode} N=${n} run ${run + 1}`;
          const r = await attempt(what, () =>
            oneCall(servers[mode], browsers, n, s, measure, others),
          );
          const c = (calls[`${mode}${n}`] ??= { mode, n, setupMs: [], window: null });
          if (!r) {
            continue;
          }
          c.setupMs.push(r.setupMs);
          c.window ??= r.window;
          if (r.switched && s.switchRuns === 0) {
            harvested.push(r.switched);
          }
          progress(
            `${what}: everyone decoding ${r.setupMs} ms after Join` +
              (r.window
                ? `; uplink ${r.window.participants.map((p) => p.upKbps).join('/')} kbit/s, ` +
                  `CPU ${r.window.participants.map((p) => p.cpuPct).join('/')} %`
                : ''),
          );
        }
      }
    }

    const switches = harvested;
    for (let run = 0; run < s.switchRuns; run++) {
      const what = `switch ${s.switchFrom} → ${s.switchFrom + 1} run ${run + 1}`;
      const changes = await attempt(what, () => oneSwitch(switchServer, browsers, s.switchFrom, s));
      if (!changes) {
        continue;
      }
      switches.push(changes);
      progress(
        `${what}: gap ${changes.map((c) => c.gapMs).join('/')} ms, ` +
          `switch ${changes.map((c) => c.switchMs).join('/')} ms`,
      );
    }
    if (!Object.values(calls).some((c) => c.setupMs.length)) {
      throw new Error(`no call settled: ${failures.map((f) => f.error).join('; ')}`);
    }
    return report(s, calls, switches, failures);
  } finally {
    await Promise.all(browsers.map((b) => b.browser.close().catch(() => {})));
    await Promise.all(started.map((srv) => srv.stop()));
    await janus.stop();
  }
}

/** Parley's /readyz names Janus in `degraded` until its API connection is open. */
async function waitJanusReady(base) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await fetch(`${base}/readyz`).then(
      (res) => res.json(),
      () => null,
    );
    if (r && !(r.degraded ?? []).includes('sfu')) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`Parley at ${base} did not reach Janus: ${JSON.stringify(r)}`);
    }
    await sleep(100);
  }
}

function mostCommon(values) {
  const counts = new Map();
  for (const v of values) {
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'none';
}

const range = (values, digits = 0) => {
  const sm = summary(values);
  return [round(sm.median, digits), `${round(sm.min, digits)}–${round(sm.max, digits)}`];
};

function report(s, calls, switches, failures) {
  const label = { mesh: 'mesh', sfu: 'SFU (Janus)' };
  const measured = Object.values(calls).filter((c) => c.window);
  const perParticipant = measured.map((c) => {
    const ps = c.window.participants;
    const cpu = c.window.cpu.trees;
    return [
      c.n,
      label[c.mode],
      ...range(ps.map((p) => p.upKbps)),
      ...range(ps.map((p) => p.downKbps)),
      ...range(
        ps.map((p) => p.cpuPct),
        1,
      ),
      ps[0].videoStreamsSent,
      ps[0].topLayer,
      mostCommon(ps.flatMap((p) => p.receivedSizes)),
      round(summary(ps.map((p) => p.receivedFps)).median, 1),
      round(cpu.Janus, 1),
    ];
  });
  const machine = measured.map((c) => {
    const { trees, others, machine: total, rest } = c.window.cpu;
    const browsersPct = c.window.participants.reduce((a, p) => a + p.cpuPct, 0);
    const top = Object.entries(others)
      .filter(([, pct]) => pct >= 1)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([name, pct]) => `${name} ${round(pct, 0)}`)
      .join(', ');
    const parley = trees[c.mode === 'mesh' ? 'Parley (mesh server)' : 'Parley (SFU server)'];
    return [
      c.n,
      label[c.mode],
      round(total, 0),
      round(browsersPct, 0),
      round(trees.Janus, 1),
      round(trees['wrtc participants'] ?? 0, 1),
      round(parley, 1),
      round(trees['bench driver'], 1),
      round(rest, 0),
      top || '—',
    ];
  });
  const setup = Object.values(calls).map((c) => [
    c.n,
    label[c.mode],
    ...(c.setupMs.length ? range(c.setupMs) : ['did not settle', '']),
    c.setupMs.length,
  ]);
  const all = switches.flat();
  const gap = summary(all.map((c) => c.gapMs));
  const sw = summary(all.map((c) => c.switchMs));
  const source = measured[0]?.window.participants[0].source;
  return {
    tables: [
      {
        title: `Per participant over a ${s.windowMs / 1000} s steady window (median and range over participants; CPU in % of one core, the participant's whole Chromium)`,
        columns: [
          'N',
          'topology',
          'uplink kbit/s',
          'uplink range',
          'downlink kbit/s',
          'downlink range',
          'CPU %',
          'CPU range',
          'video encodings sent',
          'largest sent (w×h@fps)',
          'received (most common w×h)',
          'received fps (median)',
          'Janus CPU %',
        ],
        rows: perParticipant,
      },
      {
        title:
          "Where the machine's CPU went over the same window (% of one core; the machine has 2 cores = 200 %)",
        columns: [
          'N',
          'topology',
          'whole machine',
          "participants' browsers",
          'Janus',
          'wrtc participants',
          'Parley server',
          'bench driver',
          'everything else',
          'everything else, largest processes',
        ],
        rows: machine,
      },
      {
        title: 'Set-up: the last participant presses Join → everyone decodes everyone (ms)',
        columns: ['N', 'topology', 'median', 'range', 'runs'],
        rows: setup,
      },
      {
        title: `Switch: a mesh of ${s.switchFrom} gains one more and moves to the SFU (the app's mode-changed on every page that moved; ${switches.length} runs)`,
        columns: [
          'reports',
          'gap median ms',
          'gap max ms',
          'switch median ms',
          'switch max ms',
          'timed out (mesh closed first)',
        ],
        rows: [
          [
            all.length,
            round(gap.median, 0),
            round(gap.max, 0),
            round(sw.median, 0),
            round(sw.max, 0),
            all.filter((c) => c.timedOut).length,
          ],
        ],
      },
      ...(failures.length
        ? [
            {
              title: 'Calls that did not settle (each is tried once more)',
              columns: ['call', 'what happened'],
              rows: failures.map((f) => [f.what, f.error]),
            },
          ]
        : []),
    ],
    data: {
      settings: s,
      failures,
      method:
        `one Chromium per participant (CPU = utime+stime of its process tree from /proc, children that ended included), one context per call, ` +
        (s.maxBrowsers > 0
          ? `at most ${s.maxBrowsers} Chromiums a call (BENCH_SFU_BROWSERS): in a larger one the first participants are SDK participants on wrtc in one Node process (160×120 at 15 fps and a tone; load, not measured), the browsers are the ones measured and timed; `
          : '') +
        `viewport ${VIEWPORT.width}×${VIEWPORT.height}, fake camera at ${FAKE_FPS} fps, ${CAMERA ? `${CAMERA.width}×${CAMERA.height} asked for (BENCH_SFU_CAMERA)` : "the app's own request"} (source seen: ${source ? `${source.width}×${source.height}@${source.fps}` : 'n/a'}) and fake mic; ` +
        `one Janus from \`parley janus-config\`; Parley with --mesh-max ${Math.max(...s.sizes)} (mesh) or 2 (SFU), otherwise identical; ` +
        `N−1 join by direct link one by one, then the last presses Join on the pre-join page: set-up ends when every page decodes video from all others over the connections of the room's mode; ` +
        `bitrates are outbound-rtp/inbound-rtp byte deltas (audio + video, all connections) from getStats in each page over ${s.windowMs / 1000} s after ${s.settleMs / 1000} s of settling, with the bench's in-page polling off; ` +
        `mesh and SFU interleaved run by run; the switch gap is the app's own mode-changed report (as e2e/sfu.spec.ts reads it)`,
      calls,
      switches,
    },
  };
}
