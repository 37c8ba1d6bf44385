/**
 * Connections held: memory per idle connected client (server RSS growth after a full GC,
 * divided by N) for N = 1,000 and 10,000, and the time to accept 10,000 connections
 * (handshake and room join included) from several client processes at once.
 */
import { SERVERS, startServer } from '../lib/servers.mjs';
import { forkWorker } from '../lib/worker-pool.mjs';
import { round } from '../lib/stats.mjs';

export const title = 'Connections held';

function settings(quick) {
  return quick
    ? { sizes: [200], clientProcesses: 1, concurrency: 50 }
    : { sizes: [1000, 10000], clientProcesses: 4, concurrency: 100 };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function hold(kind, n, s, progress) {
  const server = await startServer(kind);
  const procs = n >= 4000 ? s.clientProcesses : 1;
  const workers = Array.from({ length: procs }, () => forkWorker('workers/idle-clients.mjs'));
  try {
    await sleep(300);
    const before = await server.memory();
    const per = Math.ceil(n / procs);
    const t0 = performance.now();
    const replies = await Promise.all(
      workers.map((w, i) =>
        w.request(
          {
            cmd: 'open',
            kind,
            port: server.port,
            count: Math.min(per, n - i * per),
            concurrency: s.concurrency,
            roomPrefix: `idle-w${i}`,
          },
          600_000,
        ),
      ),
    );
    const acceptMs = performance.now() - t0;
    const opened = replies.reduce((a, r) => a + r.result.opened, 0);
    const failed = replies.reduce((a, r) => a + r.result.failed, 0);
    const firstError = replies.find((r) => r.result.firstError)?.result.firstError ?? '';
    // Let anything transient (handshake buffers, join fan-out) be collected.
    await sleep(1000);
    const after = await server.memory();
    const perConnKiB = (after.rss - before.rss) / opened / 1024;
    progress(
      `${kind}: ${opened}/${n} connected in ${Math.round(acceptMs)} ms, ` +
        `RSS +${round((after.rss - before.rss) / 2 ** 20, 1)} MiB = ${round(perConnKiB, 2)} KiB/conn` +
        (failed ? `, ${failed} failed (${firstError})` : ''),
    );
    return {
      kind,
      n,
      opened,
      failed,
      firstError,
      acceptMs: Math.round(acceptMs),
      rssBefore: before.rss,
      rssAfter: after.rss,
      heapBefore: before.heapUsed,
      heapAfter: after.heapUsed,
      perConnKiB: round(perConnKiB, 2),
      heapPerConnKiB: round((after.heapUsed - before.heapUsed) / opened / 1024, 2),
    };
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await server.stop();
  }
}

export async function run({ quick, progress, servers: only }) {
  const s = settings(quick);
  const results = [];
  for (const n of s.sizes) {
    for (const { kind } of SERVERS) {
      if (only && !only.includes(kind)) {
        continue;
      }
      results.push(await hold(kind, n, s, progress));
    }
  }
  const label = Object.fromEntries(SERVERS.map((x) => [x.kind, x.label]));
  const find = (k, n) => results.find((r) => r.kind === k && r.n === n);
  const biggest = s.sizes[s.sizes.length - 1];
  const rows = SERVERS.filter(({ kind }) => find(kind, biggest)).map(({ kind }) => {
    const row = [label[kind]];
    for (const n of s.sizes) {
      const r = find(kind, n);
      row.push(r.perConnKiB, r.heapPerConnKiB);
    }
    const big = find(kind, biggest);
    row.push(big.acceptMs, big.failed);
    return row;
  });
  const columns = ['server'];
  for (const n of s.sizes) {
    columns.push(`RSS KiB/conn @ ${n}`, `heap KiB/conn @ ${n}`);
  }
  columns.push(`ms to accept ${biggest}`, 'failed');
  const tables = [{ title: 'Memory per idle connection and accept time', columns, rows }];
  const p = find('parley', biggest);
  const b = find('bare', biggest);
  if (p && b) {
    const ratio = p.perConnKiB / b.perConnKiB;
    tables.push({
      title: 'Connection targets',
      columns: ['target', 'value', 'status'],
      rows: [
        [
          `memory per idle connection ≤ 1.5× bare relay (N = ${biggest})`,
          `${round(ratio, 2)}× (${p.perConnKiB} vs ${b.perConnKiB} KiB)`,
          ratio <= 1.5 ? 'met' : 'not met',
        ],
      ],
    });
  }
  return {
    tables,
    data: {
      settings: s,
      method:
        'fresh server per size; RSS after two forced GCs, before and after N clients connect, handshake and join a room of two; accept time from the first connect to the last join acknowledged',
      results,
    },
  };
}
