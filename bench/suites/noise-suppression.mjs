/**
 * The CPU cost of noise suppression (RNNoise in an AudioWorklet) per participant: two
 * people in an audio-only Parley call, one Chromium each; P1 turns its suppressor on and
 * off from the call's settings, and each state's CPU (P1's whole browser process tree,
 * bench/lib/proc-cpu.mjs) is measured over the same window, alternating the order from
 * round to round so that the machine's drift falls on both alike. Audio only: a video
 * encoder's CPU would bury a few percent in its own noise. --quick has P1 alone in the
 * room (the suppressor runs on the microphone all the same) to stay within seconds.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowsers, openPerson } from '../lib/call-pages.mjs';
import { cpuBetween, cpuSnapshot } from '../lib/proc-cpu.mjs';
import { startServer } from '../lib/servers.mjs';
import { round, summary } from '../lib/stats.mjs';

export const title = 'Noise suppression: CPU per participant';

const root = new URL('../..', import.meta.url).pathname;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function settings(quick) {
  return quick
    ? { people: 1, rounds: 1, windowMs: 2500, settleMs: 500 }
    : { people: 2, rounds: 5, windowMs: 10_000, settleMs: 2000 };
}

/** Turn P1's suppressor on or off in the open settings dialog and wait until it is so. */
async function setSuppression(page, on) {
  const toggle = page.getByTestId('noise-suppression');
  if (on) {
    await toggle.check();
  } else {
    await toggle.uncheck();
  }
  await page.waitForSelector(
    `[data-testid="noise-suppression"][data-state="${on ? 'running' : 'off'}"]`,
    { timeout: 15_000 },
  );
}

export async function run({ quick, progress }) {
  const webDir = join(root, 'packages/web/dist');
  if (!existsSync(join(webDir, 'index.html'))) {
    throw new Error('no built web app in packages/web/dist: run `npm run build` first');
  }
  const s = settings(quick);
  const parley = await startServer('parley', { args: [webDir] });
  const browsers = await launchBrowsers(s.people);
  const base = `http://127.0.0.1:${parley.port}`;
  const people = [];
  const cpu = { off: { P1: [], P2: [] }, on: { P1: [], P2: [] } };
  try {
    for (const name of ['P1', 'P2'].slice(0, s.people)) {
      const i = people.length;
      people.push(
        await openPerson(browsers[i].browser, `${base}/r/ns-bench?name=${name}&audio=1&video=0`),
      );
    }
    const p1 = people[0].page;
    await p1.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="tile"]').length === n,
      s.people,
      {
        timeout: 30_000,
      },
    );
    await p1.getByTestId('open-settings').click();
    for (let r = 0; r < s.rounds; r++) {
      const order = r % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
      for (const mode of order) {
        await setSuppression(p1, mode === 'on');
        await sleep(s.settleMs);
        const a = cpuSnapshot();
        await sleep(s.windowMs);
        const b = cpuSnapshot();
        const roots = Object.fromEntries(browsers.map((br, i) => [`P${i + 1}`, br.pid]));
        const used = cpuBetween(a, b, roots);
        cpu[mode].P1.push(used.trees.P1);
        if (used.trees.P2 !== undefined) {
          cpu[mode].P2.push(used.trees.P2);
        }
        progress(`round ${r + 1}/${s.rounds} ${mode}: P1 ${round(used.trees.P1, 1)}%`);
      }
    }
  } finally {
    await Promise.all(people.map((p) => p.context.close().catch(() => {})));
    await Promise.all(browsers.map((b) => b.browser.close().catch(() => {})));
    await parley.stop();
  }
  const med = (xs) => round(summary(xs).median, 1);
  const rows = ['off', 'on'].map((mode) => [
    mode,
    med(cpu[mode].P1),
    cpu[mode].P2.length ? med(cpu[mode].P2) : '(alone)',
    cpu[mode].P1.length,
  ]);
  const cost = round(summary(cpu.on.P1).median - summary(cpu.off.P1).median, 1);
  rows.push(['cost (on − off)', cost, '', '']);
  return {
    tables: [
      {
        title: `CPU of each participant's browser (% of one core, median of ${s.rounds} windows of ${s.windowMs / 1000} s), audio-only call of ${s.people}, P1 toggles noise suppression`,
        columns: ['P1 suppression', 'P1 CPU %', 'P2 CPU %', 'windows'],
        rows,
      },
    ],
    data: { settings: s, cpu, costPctOfOneCore: cost },
  };
}
