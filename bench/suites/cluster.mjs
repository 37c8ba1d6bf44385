/**
 * Several nodes: relay latency (p50/p99) and server CPU per relayed message when the two
 * clients of each pair sit on different nodes of a two-node Parley cluster (Redis and
 * PostgreSQL), beside a single node and beside pairs on one node of the cluster, in the
 * same run; then the time for a dead node's seats to disappear: N seats on node A with
 * their partners on node B, kill -9 A, and time until every partner has heard peer-left.
 *
 * Nodes are started with --redis-url, --database-url (a database created for the run and
 * dropped after it), --redis-prefix (unique per cluster), --node-id and --lease-ttl-ms, and
 * are used once GET /readyz answers 200. A server without cluster support (it refuses
 * those flags, has no /readyz, or nodes do not share rooms) is reported in one line and
 * the suite is skipped, not failed.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import pg from 'pg';
import Redis from 'ioredis';
import { startScript } from '../lib/servers.mjs';
import { forkWorker } from '../lib/worker-pool.mjs';
import { drivers } from '../lib/drivers.mjs';
import { median } from '../lib/stats.mjs';
import { P99_LIMIT_MS, describeStep, ms, runStep, summarize } from '../lib/relay-steps.mjs';

export const title = 'Cluster: relay across two nodes, and a dead node';

const PG_ADMIN_URL =
  process.env.PARLEY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
/** The cross-node target, from issue 9. */
const TARGET_RATE = 5000;
const READY_TIMEOUT_MS = 20_000;

function settings(quick) {
  return quick
    ? {
        workers: 1,
        pairs: 4,
        rates: [500],
        rounds: 1,
        warmupMs: 200,
        measureMs: 600,
        drainMs: 1000,
        deadSeats: 10,
        leaseTtlsMs: [3000],
      }
    : {
        workers: 2,
        pairs: 100,
        rates: [2000, TARGET_RATE, 10000],
        rounds: 3,
        warmupMs: 400,
        measureMs: 2500,
        drainMs: 3000,
        deadSeats: 200,
        // A short lease, and the default one (--lease-ttl-ms).
        leaseTtlsMs: [3000, 15000],
      };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Why the suite cannot run here: printed instead of failing the bench. */
export class Unsupported extends Error {}

/** GET a path; resolves with the status code and body (never rejects on HTTP errors). */
function get(port, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** Poll /readyz until it answers 200 {ready: true}; 404 means no cluster support. */
async function waitReady(node) {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  let last = 'no answer';
  while (performance.now() < deadline) {
    const r = await get(node.port, '/readyz').catch((err) => ({ status: 0, body: err.message }));
    if (r.status === 404) {
      throw new Unsupported(`node ${node.id} has no /readyz (404)`);
    }
    if (r.status === 200) {
      try {
        if (JSON.parse(r.body).ready === true) {
          return;
        }
      } catch {
        // not JSON yet: keep asking
      }
    }
    last = `${r.status} ${r.body.slice(0, 120)}`;
    await sleep(100);
  }
  throw new Unsupported(`node ${node.id} not ready in ${READY_TIMEOUT_MS / 1000} s: ${last}`);
}

/** The run's own PostgreSQL database and Redis prefix, and how to remove them. */
export async function provision() {
  const dbName = `parley_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await admin.connect();
    await admin.query(`create database ${dbName}`);
  } catch (err) {
    throw new Unsupported(`PostgreSQL unavailable at ${PG_ADMIN_URL}: ${err.message}`);
  } finally {
    await admin.end().catch(() => {});
  }
  const databaseUrl = new URL(PG_ADMIN_URL);
  databaseUrl.pathname = `/${dbName}`;
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  const dropDatabase = async () => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    await c.query(`drop database if exists ${dbName} with (force)`);
    await c.end();
  };
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    await dropDatabase();
    throw new Unsupported(`Redis unavailable at ${REDIS_URL}: ${err.message}`);
  }
  const prefixes = [];
  return {
    databaseUrl: databaseUrl.toString(),
    /** A fresh key prefix: each cluster of the run has its own. */
    prefix() {
      const p = `parley-bench-${randomBytes(4).toString('hex')}:`;
      prefixes.push(p);
      return p;
    },
    async cleanup() {
      for (const p of prefixes) {
        // Bounded: a run writes a few thousand keys at most.
        let cursor = '0';
        for (let i = 0; i < 1000; i++) {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${p}*`, 'COUNT', 1000);
          if (keys.length) {
            await redis.del(...keys);
          }
          cursor = next;
          if (cursor === '0') {
            break;
          }
        }
      }
      redis.disconnect();
      await dropDatabase();
    },
  };
}

/** Start one cluster node (after the previous one is ready: migrations run one at a time). */
async function startNode(id, env, prefix, leaseTtlMs) {
  const flags = [
    `--redis-url=${REDIS_URL}`,
    `--database-url=${env.databaseUrl}`,
    `--redis-prefix=${prefix}`,
    `--node-id=${id}`,
    `--lease-ttl-ms=${leaseTtlMs}`,
  ];
  let server;
  try {
    server = await startScript(`parley-${id}`, 'servers/parley.mjs', { args: ['none', ...flags] });
  } catch (err) {
    throw new Unsupported(`node ${id} did not start: ${String(err.message).slice(0, 300)}`);
  }
  const node = { ...server, id };
  try {
    await waitReady(node);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return node;
}

export async function startCluster(env, leaseTtlMs) {
  const prefix = env.prefix();
  const a = await startNode('a', env, prefix, leaseTtlMs);
  try {
    const b = await startNode('b', env, prefix, leaseTtlMs);
    return { a, b, stop: () => Promise.all([a.stop(), b.stop()]) };
  } catch (err) {
    await a.stop();
    throw err;
  }
}

/** Load generators for one placement of the pairs: both clients on `port`, or split. */
async function placement(name, servers, s, port, portB) {
  const workers = Array.from({ length: s.workers }, () => forkWorker('workers/relay-load.mjs'));
  try {
    await Promise.all(
      workers.map((w, i) =>
        w.request({
          cmd: 'setup',
          kind: 'parley',
          port,
          portB,
          pairs: Math.ceil(s.pairs / s.workers),
          roomPrefix: `cluster-${name.replace(/\W+/g, '-')}-w${i}`,
        }),
      ),
    );
  } catch (err) {
    await Promise.all(workers.map((w) => w.close()));
    const why = /not in one room/.test(err.message)
      ? 'the two nodes do not share rooms (the second client of a pair does not see the first)'
      : err.message.slice(0, 300);
    throw new Unsupported(why);
  }
  return {
    name,
    servers,
    step: (rate) => runStep(servers, workers, rate, s),
    close: () => Promise.all(workers.map((w) => w.close())),
  };
}

/** Relay through a single node, through one node of the cluster, and across its two nodes. */
async function measureRelay(env, s, progress) {
  const single = await startScript('parley', 'servers/parley.mjs', { args: ['none'] });
  const placements = [];
  let cluster;
  try {
    cluster = await startCluster(env, 15000);
    const { a, b } = cluster;
    placements.push(
      await placement('one node, no cluster', [single], s, single.port),
      await placement('cluster, pair on one node', [a, b], s, a.port),
      await placement('cluster, pair across nodes', [a, b], s, a.port, b.port),
    );
    const rounds = new Map(placements.map((p) => [p, new Map(s.rates.map((r) => [r, []]))]));
    for (let i = 0; i < s.rounds; i++) {
      for (const rate of s.rates) {
        for (const p of placements) {
          const r = await p.step(rate);
          rounds.get(p).get(rate).push(r);
          progress(`round ${i + 1}: ${describeStep(p.name, r)}`);
        }
      }
    }
    return placements.map((p) => ({
      name: p.name,
      byRate: s.rates.map((rate) => summarize(rate, rounds.get(p).get(rate))),
    }));
  } finally {
    for (const p of placements) {
      await p.close();
    }
    await cluster?.stop();
    await single.stop();
  }
}

/** Open `count` clients with at most `width` handshakes in flight. */
async function openMany(count, width, open) {
  const out = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await open(i);
      }
    }),
  );
  return out;
}

/**
 * N seats on node A, each with its partner on node B; kill -9 A and time, from the kill,
 * until every partner has received peer-left for its seat.
 */
async function measureDeadNode(env, seats, leaseTtlMs, progress) {
  const cluster = await startCluster(env, leaseTtlMs);
  const { a, b } = cluster;
  const parley = drivers.parley;
  const sockets = [];
  try {
    const room = (i) => `dead-${leaseTtlMs}-${i}`;
    const onA = await openMany(seats, 20, async (i) => {
      const c = await parley.open(a.port, { room: room(i) });
      sockets.push(c.ws);
      return c;
    });
    const heard = new Array(seats).fill(null);
    const reasons = {};
    let killedAt = Infinity;
    await openMany(seats, 20, async (i) => {
      const c = await parley.open(b.port, { room: room(i) });
      sockets.push(c.ws);
      await parley.paired(onA[i], c);
      c.ws.on('message', (data) => {
        const text = data.toString();
        if (!text.includes('"peer-left"')) {
          return;
        }
        const m = JSON.parse(text);
        if (m.type === 'peer-left' && m.peerId === onA[i].self && heard[i] === null) {
          heard[i] = performance.now() - killedAt;
          reasons[m.reason] = (reasons[m.reason] ?? 0) + 1;
        }
      });
    });
    progress(`lease ${leaseTtlMs} ms: ${seats} seats on node a, partners on node b; kill -9 a`);
    killedAt = performance.now();
    process.kill(a.pid, 'SIGKILL');
    const deadline = killedAt + leaseTtlMs + Math.max(15_000, leaseTtlMs);
    while (heard.includes(null) && performance.now() < deadline) {
      await sleep(20);
    }
    const times = heard.filter((t) => t !== null).sort((x, y) => x - y);
    const result = {
      leaseTtlMs,
      seats,
      told: times.length,
      firstMs: times.length ? Math.round(times[0]) : null,
      medianMs: times.length ? Math.round(median(times)) : null,
      // When the last partner heard it: null when some never did before the deadline.
      allGoneMs: times.length === seats ? Math.round(times[times.length - 1]) : null,
      waitedMs: Math.round(performance.now() - killedAt),
      reasons,
    };
    progress(
      `lease ${leaseTtlMs} ms: ${result.told}/${seats} partners told, ` +
        `first ${result.firstMs} ms, median ${result.medianMs} ms, ` +
        `all ${result.allGoneMs ?? `not within ${result.waitedMs}`} ms after the kill`,
    );
    return result;
  } finally {
    for (const ws of sockets) {
      ws.terminate();
    }
    await cluster.stop();
  }
}

function skipped(reason, progress) {
  const line = `cluster: skipped: ${reason} (this server build does not run as a cluster yet)`;
  progress(line);
  return {
    tables: [{ title: 'Cluster', columns: ['status'], rows: [[line]] }],
    data: { skipped: reason },
  };
}

export async function run({ quick, progress }) {
  const s = settings(quick);
  let env;
  try {
    env = await provision();
  } catch (err) {
    if (err instanceof Unsupported) {
      return skipped(err.message, progress);
    }
    throw err;
  }
  try {
    const relay = await measureRelay(env, s, progress);
    const dead = [];
    for (const ttl of s.leaseTtlsMs) {
      dead.push(await measureDeadNode(env, s.deadSeats, ttl, progress));
    }
    const data = { settings: s, relay, dead };
    return { tables: buildTables(data), data };
  } catch (err) {
    if (err instanceof Unsupported) {
      return skipped(err.message, progress);
    }
    throw err;
  } finally {
    await env.cleanup();
  }
}

export function buildTables({ settings: s, relay, dead }) {
  const cpuRate = s.rates.includes(TARGET_RATE) ? TARGET_RATE : s.rates[0];
  const at = (p, rate) => p.byRate.find((f) => f.rate === rate);
  const tables = [
    {
      title:
        `Relay through one node and across two (median of ${s.rounds} interleaved round(s); ` +
        'CPU summed over the nodes, per relayed message)',
      columns: [
        'pairs',
        ...s.rates.map((r) => `p50 / p99 ms @ ${r}/s`),
        `server CPU µs/msg @ ${cpuRate}/s`,
        'lost',
      ],
      rows: relay.map((p) => [
        p.name,
        ...s.rates.map((r) => `${ms(at(p, r).p50)} / ${ms(at(p, r).p99)}`),
        at(p, cpuRate).cpuUsPerMsg,
        p.byRate.reduce((a, f) => a + f.lost, 0),
      ]),
    },
    {
      title: "A dead node's seats: kill -9 of node A, each seat's partner on node B",
      columns: [
        'lease TTL ms',
        'seats on A',
        'partners told',
        'first ms',
        'median ms',
        'all gone ms',
        'reasons',
      ],
      rows: dead.map((d) => [
        d.leaseTtlMs,
        d.seats,
        d.told,
        d.firstMs ?? '',
        d.medianMs ?? '',
        d.allGoneMs ?? `not within ${d.waitedMs}`,
        Object.entries(d.reasons)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      ]),
    },
  ];
  const across = relay.find((p) => p.name.includes('across'));
  const targets = [];
  if (across && at(across, TARGET_RATE)) {
    const p99 = at(across, TARGET_RATE).p99;
    targets.push([
      `cross-node relay p99 < ${P99_LIMIT_MS} ms at ${TARGET_RATE} msg/s`,
      `${ms(p99)} ms`,
      p99 !== null && p99 < P99_LIMIT_MS ? 'met' : 'not met',
    ]);
  }
  for (const d of dead) {
    targets.push([
      `dead node's seats gone within the lease TTL (${d.leaseTtlMs} ms)`,
      d.allGoneMs === null ? `${d.told}/${d.seats} in ${d.waitedMs} ms` : `${d.allGoneMs} ms`,
      d.allGoneMs !== null && d.allGoneMs <= d.leaseTtlMs ? 'met' : 'not met',
    ]);
  }
  tables.push({ title: 'Cluster targets', columns: ['target', 'value', 'status'], rows: targets });
  return tables;
}
