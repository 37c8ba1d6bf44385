/**
 * Connectivity across the network lab (e2e/lab/): every scenario of e2e/lab/scenarios.mjs
 * run several times, each time on a freshly built lab (namespaces, NATs, server, coturn,
 * two Chromiums). For each: the share of calls that showed video both ways, the time
 * from the second person opening the link to video both ways, whether video kept flowing
 * after that (SUSTAINED_FRAMES more on both pages), the selected candidate
 * pair, and after a cut the time until frames are decoded again on both sides.
 * A full run rewrites the results part of docs/CONNECTIVITY.md; --quick runs one call of
 * the direct scenario to prove the suite works and writes no doc. Needs root.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { runCall } from '../../e2e/lab/call.mjs';
import { MISSING_SCENARIOS, SCENARIOS } from '../../e2e/lab/scenarios.mjs';
import { startServices } from '../../e2e/lab/services.mjs';
import { buildLab, removeLabNamespaces } from '../../e2e/lab/topology.mjs';
import { median, round } from '../lib/stats.mjs';

export const title = 'Connectivity across the network lab';

const DOC = new URL('../../docs/CONNECTIVITY.md', import.meta.url);
const BEGIN = '<!-- lab results: written by `npm run bench -- --only connectivity` -->';
const END = '<!-- end of lab results -->';

/**
 * BENCH_LAB_REPS calls per scenario (5); BENCH_LAB_SCENARIOS=id,id runs only those (a try
 * of a fix, or of every scenario once) and then leaves docs/CONNECTIVITY.md alone.
 */
function settings(quick) {
  const reps = Number(process.env.BENCH_LAB_REPS ?? 5);
  const only = process.env.BENCH_LAB_SCENARIOS?.split(',');
  const unknown = (only ?? []).filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length) {
    throw new Error(`BENCH_LAB_SCENARIOS: no scenario ${unknown.join(', ')}`);
  }
  if (quick) {
    return { scenarios: SCENARIOS.filter((s) => s.id === 'direct'), reps: 1, writes: false };
  }
  return only
    ? { scenarios: SCENARIOS.filter((s) => only.includes(s.id)), reps, writes: false }
    : { scenarios: SCENARIOS, reps, writes: true };
}

const pairText = (p) =>
  p
    ? `${p.local} → ${p.remote} (${p.protocol}${p.rttMs === null ? '' : `, rtt ${p.rttMs} ms`})`
    : 'none';

/** The running call's clean-up, for a bench stopped by a signal (Ctrl-C, kill). */
let stopCurrent = null;
async function onSignal() {
  // The lab's processes (coturn, server, Chromium) are ours to stop, and its namespaces
  // ours to remove; Playwright's own handler would otherwise let the bench run on.
  await stopCurrent?.();
  process.exit(130);
}

async function runAll(scenarios, reps, results, progress, afterEach) {
  for (const scenario of scenarios) {
    const runs = [];
    for (let rep = 1; rep <= reps; rep++) {
      const r = await oneCall(scenario, rep);
      runs.push(r);
      progress(
        `${scenario.id} #${rep}: ${r.connected ? `video both ways in ${r.videoBothWaysMs} ms${r.flowing ? '' : ', then stalled'}` : `no video (${r.error ?? 'timeout'})`}` +
          `, a: ${pairText(r.pairs[0] ?? null)}` +
          (scenario.cutMs ? `, recovery ${r.recoveryMs ?? 'none'} ms` : ''),
      );
    }
    results.push({ scenario, runs });
    afterEach();
  }
}

/** One call on a fresh lab; never throws (a failure is a result). */
async function oneCall(scenario, rep) {
  let lab;
  let services;
  let call;
  stopCurrent = async () => {
    await call?.close();
    await services?.dispose();
    lab?.dispose();
  };
  try {
    lab = buildLab(scenario.peers);
    services = await startServices(scenario.services);
    const r = (call = await runCall({
      lab,
      url: services.url,
      room: `${scenario.id}-${rep}`,
      cutMs: scenario.cutMs,
      browserArgs: scenario.browserArgs,
    }));
    return {
      connected: r.connected,
      flowing: r.flowing,
      videoBothWaysMs: r.videoBothWaysMs,
      pairs: r.pairs,
      pathOk: r.connected && scenario.pathOk(r.pairs),
      recoveryMs: r.recoveryMs,
    };
  } catch (err) {
    return {
      connected: false,
      flowing: false,
      videoBothWaysMs: null,
      pairs: [],
      pathOk: false,
      error: String(err?.message ?? err).slice(0, 300),
    };
  } finally {
    await stopCurrent();
    stopCurrent = null;
  }
}

export async function run({ quick, progress }) {
  if (process.getuid?.() !== 0) {
    const reason = 'the network lab needs root (ip netns)';
    if (process.env.CI === 'true') {
      throw new Error(reason);
    }
    progress(`SKIPPED: ${reason}`);
    return { tables: [], data: { skipped: reason } };
  }
  removeLabNamespaces();
  const { scenarios, reps, writes } = settings(quick);
  const results = [];
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    // The doc is rewritten after every scenario, so a run stopped part way still leaves
    // what it measured (and says which scenarios it did not reach).
    await runAll(scenarios, reps, results, progress, () => {
      if (writes) {
        writeDoc(resultTables(results, reps, scenarios), reps);
      }
    });
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }

  const tables = resultTables(results, reps, scenarios);
  if (writes) {
    progress('wrote docs/CONNECTIVITY.md');
  }
  return {
    tables,
    data: results.map(({ scenario, runs }) => ({ id: scenario.id, runs })),
  };
}

/** The overview, one table per scenario run, and what was not run. */
function resultTables(results, reps, scenarios) {
  const overview = {
    title: `Connectivity per scenario (${reps} call${reps === 1 ? '' : 's'} each, a fresh lab per call)`,
    columns: [
      'scenario',
      'connected',
      'kept flowing',
      'expected path',
      'video both ways, median ms',
      'min–max ms',
      'recovery after cut, median ms',
    ],
    rows: results.map(({ scenario, runs }) => {
      const times = runs.filter((r) => r.connected).map((r) => r.videoBothWaysMs);
      const rec = runs.map((r) => r.recoveryMs).filter((x) => typeof x === 'number');
      return [
        scenario.id,
        `${runs.filter((r) => r.connected).length}/${runs.length}`,
        `${runs.filter((r) => r.flowing).length}/${runs.length}`,
        `${runs.filter((r) => r.pathOk).length}/${runs.length}`,
        times.length ? round(median(times), 0) : '–',
        times.length ? `${Math.min(...times)}–${Math.max(...times)}` : '–',
        scenario.cutMs ? (rec.length ? round(median(rec), 0) : 'never') : '–',
      ];
    }),
  };
  const perScenario = results.map(({ scenario, runs }) => ({
    title: `${scenario.id}: ${scenario.title} — expected: ${scenario.expected}`,
    columns: [
      'call',
      'video both ways',
      'ms',
      'selected pair at a',
      'selected pair at b',
      ...(scenario.cutMs ? ['recovery ms'] : []),
    ],
    rows: runs.map((r, i) => [
      i + 1,
      r.connected
        ? r.flowing
          ? 'yes'
          : 'stalled'
        : `no${r.error ? ` (${r.error.split('\n')[0]})` : ''}`,
      r.videoBothWaysMs ?? '–',
      pairText(r.pairs[0] ?? null),
      pairText(r.pairs[1] ?? null),
      ...(scenario.cutMs ? [r.recoveryMs ?? 'never'] : []),
    ]),
  }));
  const missing = {
    title: 'Scenarios of issue #14 the lab does not run yet',
    columns: ['scenario', 'why not'],
    rows: MISSING_SCENARIOS.map((m) => [m.id, m.reason]),
  };
  const notRun = scenarios
    .slice(results.length)
    .map((sc) => [sc.id, 'not run: the bench was stopped before it']);
  if (notRun.length) {
    missing.rows.push(...notRun);
  }
  return [overview, ...perScenario, ...(missing.rows.length ? [missing] : [])];
}

function markdownTable({ title: t, columns, rows }) {
  const esc = (c) => String(c).replaceAll('|', '\\|');
  return [
    `### ${t}`,
    '',
    `| ${columns.map(esc).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
    '',
  ].join('\n');
}

/** Replace the results part of docs/CONNECTIVITY.md (the text around it is written by hand). */
function writeDoc(tables, reps) {
  const doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : `# Connectivity\n\n${BEGIN}\n${END}\n`;
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) {
    throw new Error(`docs/CONNECTIVITY.md lacks the markers ${BEGIN} … ${END}`);
  }
  const body = [
    '',
    `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${reps} calls per scenario` +
      ` (load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' / ')} when this was written; 2 cores shared with other work).`,
    '',
    ...tables.map(markdownTable),
  ].join('\n');
  writeFileSync(DOC, doc.slice(0, start + BEGIN.length) + '\n' + body + doc.slice(end));
}
