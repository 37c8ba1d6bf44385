/**
 * Meet under load: 1,000 signaling-only clients press Start over a few seconds (half
 * with one of four interests, half with none); how long each waits to be paired (p50,
 * p99), and the checks that matter more than speed: nobody paired twice, every match
 * has exactly two sides, nobody left waiting. Once on one node (in-process
 * directories) and, when PostgreSQL and Redis are here, on two nodes sharing Redis (the
 * clients split between them, so every pairing is a Lua script and half the news
 * crosses the bus).
 */
import { startScript } from '../lib/servers.mjs';
import { provision, startCluster, Unsupported } from './cluster.mjs';
import { forkWorker } from '../lib/worker-pool.mjs';
import { quantile, round } from '../lib/stats.mjs';

export const title = 'Meet: time to be paired';

function settings(quick) {
  return quick
    ? { clients: 40, processes: 1, spreadMs: 500, anyoneAfterMs: 1000, timeoutMs: 10_000 }
    : { clients: 1000, processes: 2, spreadMs: 3000, anyoneAfterMs: 3000, timeoutMs: 30_000 };
}

/** One deployment: `ports` are its nodes; worker i's clients go to node i mod n. */
async function measure(label, ports, s, progress) {
  const workers = Array.from({ length: s.processes }, () => forkWorker('workers/meet-clients.mjs'));
  let replies;
  try {
    const per = Math.ceil(s.clients / s.processes);
    replies = await Promise.all(
      workers.map((w, i) =>
        w.request(
          {
            cmd: 'run',
            port: ports[i % ports.length],
            count: Math.min(per, s.clients - i * per),
            spreadMs: s.spreadMs,
            timeoutMs: s.timeoutMs,
            seed: i,
          },
          s.spreadMs + s.timeoutMs + 120_000,
        ),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
  const clients = replies.flatMap((r) => r.result.clients);
  const waits = clients
    .map((c) => c.waitMs)
    .filter((w) => w !== null)
    .sort((a, b) => a - b);
  const pairedTwice = clients.filter((c) => c.matches.length > 1).length;
  const leftWaiting = clients.filter((c) => c.matches.length === 0).length;
  const sides = new Map();
  for (const c of clients) {
    for (const id of c.matches) {
      sides.set(id, (sides.get(id) ?? 0) + 1);
    }
  }
  const badMatches = [...sides.values()].filter((n) => n !== 2).length;
  const errors = clients.flatMap((c) => c.errors);
  const pushes = clients.reduce((a, c) => a + c.queuePushes, 0);
  const retries = clients.reduce((a, c) => a + c.retries, 0);
  const r = {
    label,
    clients: clients.length,
    paired: waits.length,
    p50: round(quantile(waits, 0.5), 1),
    p90: round(quantile(waits, 0.9), 1),
    p99: round(quantile(waits, 0.99), 1),
    max: round(waits[waits.length - 1] ?? 0, 1),
    pairedTwice,
    leftWaiting,
    badMatches,
    matches: sides.size,
    queuePushes: pushes,
    startRetries: retries,
    errors: [...new Set(errors)],
  };
  progress(
    `${label}: ${r.clients} clients, ${r.paired} paired, p50 ${r.p50} ms, p99 ${r.p99} ms, ` +
      `${pairedTwice} paired twice, ${leftWaiting} left waiting, ${badMatches} bad matches`,
  );
  if (pairedTwice || leftWaiting || badMatches || errors.length) {
    throw new Error(
      `meet invariants broken (${label}): ${pairedTwice} paired twice, ${leftWaiting} left ` +
        `waiting, ${badMatches} matches without exactly two sides, errors ${r.errors.join(',')}`,
    );
  }
  return r;
}

export async function run({ quick, progress }) {
  const s = settings(quick);
  // Signaling-only clients never join the match's room: no no-show ending the match.
  const flags = [`--meet-anyone-after-ms=${s.anyoneAfterMs}`, '--meet-join-timeout-ms=600000'];
  const results = [];
  const single = await startScript('parley', 'servers/parley.mjs', { args: ['none', ...flags] });
  try {
    results.push(await measure('one node', [single.port], s, progress));
  } finally {
    await single.stop();
  }
  let clusterNote = '';
  // BENCH_MEET_NODES=1: the one node only (the two-node run needs a machine that is
  // not oversubscribed: its Redis starves first, see docs/BENCHMARKS.md).
  if (!quick && process.env.BENCH_MEET_NODES !== '1') {
    let env;
    try {
      env = await provision();
      const cluster = await startCluster(env, 15_000);
      try {
        results.push(
          await measure('two nodes + Redis', [cluster.a.port, cluster.b.port], s, progress),
        );
      } finally {
        await cluster.stop();
      }
    } catch (err) {
      if (!(err instanceof Unsupported)) {
        throw err;
      }
      clusterNote = `two nodes skipped: ${err.message}`;
      progress(clusterNote);
    } finally {
      await env?.cleanup();
    }
  }
  return {
    tables: [
      {
        title: `Meet: ${s.clients} clients start over ${s.spreadMs / 1000} s (anyone after ${s.anyoneAfterMs / 1000} s)`,
        columns: [
          'deployment',
          'clients',
          'paired',
          'p50 ms',
          'p99 ms',
          'max ms',
          'paired twice',
          'left waiting',
          'matches',
          'queue pushes',
        ],
        rows: results.map((r) => [
          r.label,
          r.clients,
          r.paired,
          r.p50,
          r.p99,
          r.max,
          r.pairedTwice,
          r.leftWaiting,
          r.matches,
          r.queuePushes,
        ]),
      },
    ],
    data: {
      settings: s,
      method:
        'one Parley node (in-process directories), then two nodes sharing Redis and PostgreSQL (worker i to node i mod 2); clients in separate processes, handshake only; each presses Start at its own moment spread evenly over the window; wait = Start sent to matched received; half have one of four interests (paired with an overlap, or with anyone after the wait), half none (paired with anyone without interests)',
      results,
      ...(clusterNote ? { clusterNote } : {}),
    },
  };
}
