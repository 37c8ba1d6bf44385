/**
 * One load step of the signaling relay, shared by the relay and cluster suites: the
 * relay-load workers offer a rate for warm-up + measure ms, and the step gathers latency
 * from their histograms, the servers' CPU per relayed message and their collector pauses.
 */
import { histQuantile, median, mergeHistograms, round } from './stats.mjs';

export const P99_LIMIT_MS = 10;

/** A latency for tables: null means beyond the histogram (100 ms) or never delivered. */
export const ms = (v) => (v === null ? '> 100' : v);

/**
 * Run one step. `servers` are started servers (cpu() and gc() over IPC); their CPU and
 * pauses are summed, so a step through two cluster nodes counts both.
 */
export async function runStep(servers, workers, rate, { warmupMs, measureMs, drainMs }) {
  const cpuOf = async () =>
    (await Promise.all(servers.map((s) => s.cpu()))).reduce((a, b) => a + b);
  await Promise.all(servers.map((s) => s.gc()));
  const cpuBefore = await cpuOf();
  const t0 = performance.now();
  const replies = await Promise.all(
    workers.map((w) =>
      w.request({ cmd: 'step', rate: rate / workers.length, warmupMs, measureMs, drainMs }),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpuUs = (await cpuOf()) - cpuBefore;
  const pauses = await Promise.all(servers.map((s) => s.gc()));
  const results = replies.map((r) => r.result);
  const sentTotal = results.reduce((a, r) => a + r.sent, 0);
  const sent = results.reduce((a, r) => a + r.sentInWindow, 0);
  const received = results.reduce((a, r) => a + r.receivedInWindow, 0);
  const achieved = results.reduce((a, r) => a + r.achievedRate, 0);
  const hist = mergeHistograms(results.map((r) => r.hist));
  const missing = Math.max(0, sent - received);
  const errors = results.reduce((a, r) => a + r.errors, 0);
  const late = results.reduce((a, r) => a + r.late, 0);
  const p50 = histQuantile(hist, 0.5, missing);
  const p99 = histQuantile(hist, 0.99, missing);
  // The generator itself fell behind (over 5% of messages left more than 20 ms late):
  // the server was not offered this load, so the step says nothing about it.
  const generatorLimited = late > sentTotal * 0.05;
  return {
    rate,
    achieved: Math.round(achieved),
    sent,
    received,
    lost: missing,
    errors,
    firstError: results.find((r) => r.firstError)?.firstError ?? '',
    // Server CPU per relayed message over the whole step: robust to scheduling noise.
    cpuUsPerMsg: round(cpuUs / Math.max(1, sentTotal), 1),
    // Past the histogram's 100 ms range (or lost) is stored as null: JSON has no Infinity.
    p50: Number.isFinite(p50) ? round(p50, 2) : null,
    p99: Number.isFinite(p99) ? round(p99, 2) : null,
    ok: p99 < P99_LIMIT_MS && missing === 0 && errors === 0 && !generatorLimited,
    generatorLimited,
    lateShare: round(late / Math.max(1, sentTotal), 4),
    // The collector's pauses in the servers over the step (ms paused per second of it).
    gcMsPerS: round(pauses.reduce((a, p) => a + p.totalMs, 0) / seconds, 1),
    gcMaxMs: round(Math.max(0, ...pauses.map((p) => p.maxMs)), 1),
    gcCount: pauses.reduce((a, p) => a + p.count, 0),
    gcFull: pauses.reduce((a, p) => a + p.full, 0),
  };
}

export function describeStep(label, r) {
  return (
    `${label}: ${r.rate} msg/s: p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms, ${r.cpuUsPerMsg} CPU µs/msg, ` +
    `GC ${r.gcCount}× (${r.gcFull} full) ${r.gcMsPerS} ms/s, longest ${r.gcMaxMs} ms` +
    (r.lost ? `, ${r.lost} lost` : '') +
    (r.errors ? `, ${r.errors} errors (${r.firstError})` : '') +
    (r.ok ? '' : r.generatorLimited ? ' (generator limited)' : ' (over the limit)')
  );
}

/**
 * Medians over interleaved rounds at one rate. Rounds where the generator fell behind
 * are left out when any other round is left (they measure the machine, not the server);
 * a latency is null (beyond 100 ms) when that was so in half the rounds or more.
 */
export function summarize(rate, rounds) {
  const usable = rounds.filter((r) => !r.generatorLimited);
  const list = usable.length > 0 ? usable : rounds;
  const med = (k) => {
    const v = list.map((r) => r[k]);
    const nulls = v.filter((x) => x === null).length;
    return nulls * 2 >= v.length ? null : round(median(v.filter((x) => x !== null)), 2);
  };
  return {
    rate,
    rounds,
    used: list.length,
    cpuUsPerMsg: round(med('cpuUsPerMsg'), 1),
    p50: med('p50'),
    p99: med('p99'),
    gcMsPerS: round(med('gcMsPerS'), 1),
    gcMaxMs: round(med('gcMaxMs'), 1),
    gcFull: med('gcFull'),
    lost: rounds.reduce((a, r) => a + r.lost, 0),
    errors: rounds.reduce((a, r) => a + r.errors, 0),
  };
}
