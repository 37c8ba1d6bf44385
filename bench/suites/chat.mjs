/**
 * Chat bench: fan-out through the real server to a room of signaling-only WebSocket
 * clients (no media), and raw store throughput on SQLite and PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import pg from 'pg';
import { PROTOCOL_VERSION } from '../../packages/protocol/dist/index.js';
import {
  createServer,
  loadConfig,
  openStore,
  KyselyChatStore,
} from '../../packages/server/dist/index.js';

export const title = 'Chat: room fan-out and stored messages per second';

const PG_ADMIN_URL =
  process.env.PARLEY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function percentile(sorted, p) {
  if (sorted.length === 0) {
    return NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A signaling-only member: hello, join, and a callback per chat message. */
async function member(url, room, name, onChat) {
  const ws = new WebSocket(url);
  const waiters = new Map();
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw));
    if (m.type === 'chat-message') {
      onChat(m);
    }
    const w = m.rid !== undefined ? waiters.get(m.rid) : waiters.get(m.type);
    if (w) {
      waiters.delete(m.rid ?? m.type);
      w(m);
    }
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const wait = (key) => new Promise((resolve) => waiters.set(key, resolve));
  const welcome = wait('welcome');
  ws.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION }));
  await welcome;
  const joined = wait('j');
  ws.send(
    JSON.stringify({ type: 'join', room, name, media: { audio: false, video: false }, rid: 'j' }),
  );
  const reply = await joined;
  if (reply.type !== 'joined') {
    throw new Error(`join failed: ${reply.message}`);
  }
  let rid = 0;
  return {
    ws,
    /** Send and resolve when the server answered (stored). */
    post(clientId, text) {
      const r = `p${++rid}`;
      const done = wait(r);
      ws.send(JSON.stringify({ type: 'chat-send', clientId, text, rid: r }));
      return done;
    },
  };
}

async function fanOut({ quick, progress }) {
  const members = quick ? 8 : 50;
  const senders = quick ? 2 : 5;
  const perSender = quick ? 10 : 200;
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-chat-'));
  const server = await createServer(
    loadConfig(
      [],
      {},
      {
        port: 0,
        host: '127.0.0.1',
        webDir: 'none',
        logLevel: 'silent',
        dataDir: dir,
        maxRoomSize: members + 1,
        rateLimit: 100_000,
        chatRateLimit: 100_000,
        chatRatePerAddress: 100_000,
        chatRatePerRoom: 100_000,
      },
    ),
  );
  await server.listen();
  try {
    const sentAt = new Map();
    const latencies = [];
    let delivered = 0;
    const expected = members * senders * perSender;
    let resolveAll;
    const allDone = new Promise((r) => (resolveAll = r));
    const onChat = (m) => {
      const t0 = sentAt.get(m.message.clientId);
      if (t0 !== undefined) {
        latencies.push(performance.now() - t0);
      }
      if (++delivered === expected) {
        resolveAll();
      }
    };
    progress(`joining ${members} signaling-only members`);
    const room = `bench-${randomBytes(4).toString('hex')}`;
    const clients = [];
    for (let i = 0; i < members; i++) {
      clients.push(await member(server.wsUrl, room, `m${i}`, onChat));
    }
    progress(`${senders} senders × ${perSender} messages, each to ${members} members`);
    const t0 = performance.now();
    await Promise.all(
      clients.slice(0, senders).map(async (c, s) => {
        // Each sender waits for the server's answer before the next: a steady stream, not
        // a burst that would only measure queueing.
        for (let i = 0; i < perSender; i++) {
          const id = `s${s}m${i}`;
          sentAt.set(id, performance.now());
          await c.post(id, `message ${i} from sender ${s}`);
        }
      }),
    );
    let timer;
    await Promise.race([allDone, new Promise((r) => (timer = setTimeout(r, 60_000)))]);
    clearTimeout(timer);
    const seconds = (performance.now() - t0) / 1000;
    for (const c of clients) {
      c.ws.close(1000);
    }
    latencies.sort((a, b) => a - b);
    return {
      members,
      messages: senders * perSender,
      delivered,
      expected,
      seconds,
      deliveredPerSecond: delivered / seconds,
      storedPerSecond: (senders * perSender) / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function storeRate(dialect, { quick, progress }) {
  const n = quick ? 200 : 5000;
  const concurrency = 8;
  let options;
  let cleanup;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'parley-bench-store-'));
    options = { dataDir: dir };
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `parley_bench_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    try {
      await admin.connect();
      await admin.query(`create database ${name}`);
    } catch (err) {
      await admin.end().catch(() => {});
      return { dialect, error: `PostgreSQL unavailable: ${err.message}` };
    }
    await admin.end();
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    options = { dataDir: 'unused', databaseUrl: url.toString() };
    cleanup = async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const store = await openStore(options);
  try {
    const chat = new KyselyChatStore(store.db);
    const row = (i, room) => ({
      id: `id${i}`,
      room,
      clientId: `c${i}`,
      senderId: 'p',
      senderName: 'Bench',
      text: `message number ${i}`,
      createdAt: Date.now(),
    });
    progress(`${dialect}: ${n} appends one after another`);
    let t0 = performance.now();
    for (let i = 0; i < n; i++) {
      await chat.append(row(i, 'serial'));
    }
    const serial = n / ((performance.now() - t0) / 1000);
    progress(`${dialect}: ${n} appends, ${concurrency} rooms at once`);
    t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async (_, r) => {
        for (let i = r; i < n; i += concurrency) {
          await chat.append(row(n + i, `room${r}`));
        }
      }),
    );
    const parallel = n / ((performance.now() - t0) / 1000);
    progress(`${dialect}: reading the latest page 200 times`);
    t0 = performance.now();
    for (let i = 0; i < 200; i++) {
      await chat.history('serial', { limit: 50 });
    }
    const pages = 200 / ((performance.now() - t0) / 1000);
    return { dialect, n, serial, parallel, pages };
  } finally {
    await store.close();
    await cleanup();
  }
}

export async function run({ quick, progress }) {
  const fan = await fanOut({ quick, progress });
  const stores = [];
  for (const dialect of ['sqlite', 'postgres']) {
    stores.push(await storeRate(dialect, { quick, progress }));
  }
  const r = (x) => (Number.isFinite(x) ? Math.round(x) : '–');
  const ms = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
  return {
    tables: [
      {
        title: `Chat fan-out: ${fan.members}-member room, signaling-only clients, SQLite store`,
        columns: [
          'messages',
          'deliveries',
          'delivered/s',
          'stored/s',
          'p50 latency (ms)',
          'p99 latency (ms)',
        ],
        rows: [
          [
            fan.messages,
            `${fan.delivered}/${fan.expected}`,
            r(fan.deliveredPerSecond),
            r(fan.storedPerSecond),
            ms(fan.p50),
            ms(fan.p99),
          ],
        ],
      },
      {
        title: 'Chat store: messages stored per second (Kysely)',
        columns: ['database', 'appends', 'serial/s', '8 rooms at once/s', 'latest-page reads/s'],
        rows: stores.map((s) =>
          s.error
            ? [s.dialect, s.error, '', '', '']
            : [s.dialect, s.n, r(s.serial), r(s.parallel), r(s.pages)],
        ),
      },
    ],
    data: { fanOut: fan, stores },
  };
}
