#!/usr/bin/env node
/**
 * Meet load generator, forked by the meet suite. Opens `count` signaling-only clients
 * (handshake only, no media), then has each one press Start at its own moment spread
 * over `spreadMs`, and records, per client, how long it waited until `matched`, the match
 * id and every `matched` it was told (to prove nobody is paired twice).
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const INTERESTS = ['chess', 'music', 'films', 'travel'];
let sockets = [];

function connect(port) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { perMessageDeflate: false });
    ws.once('error', reject);
    ws.once('open', () => {
      ws.send(JSON.stringify({ type: 'hello', v: 1 }));
    });
    ws.on('message', function first(data) {
      if (JSON.parse(data.toString()).type === 'welcome') {
        ws.off('message', first);
        resolve(ws);
      }
    });
  });
}

async function run({ port, count, spreadMs, timeoutMs, seed }) {
  const clients = [];
  for (let i = 0; i < count; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, () => connect(port)),
    );
    for (const ws of batch) {
      sockets.push(ws);
      clients.push({
        ws,
        start: '',
        startedAt: 0,
        waitMs: null,
        matches: [],
        queuePushes: 0,
        retries: 0,
        errors: [],
      });
    }
  }
  const t0 = performance.now();
  let pending = count;
  let resolveAll;
  const allMatched = new Promise((r) => (resolveAll = r));
  clients.forEach((c, i) => {
    c.ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (m.type === 'meet-state' && m.state === 'matched') {
        if (c.matches.length === 0) {
          c.waitMs = performance.now() - c.startedAt;
          if (--pending === 0) {
            resolveAll();
          }
        }
        c.matches.push(m.match.matchId);
      } else if (m.type === 'meet-queue') {
        c.queuePushes += 1;
      } else if (m.type === 'error' && m.code === 'unavailable' && m.of === 'meet-start') {
        // The protocol's answer to "Redis did not answer in time": nothing was done,
        // try again shortly (what a real client does too).
        c.retries += 1;
        setTimeout(() => c.ws.send(c.start), 500);
      } else if (m.type === 'error') {
        c.errors.push(m.code);
      }
    });
    // Half come without interests, half with one of four (deterministic by index).
    const interests = (i + seed) % 2 === 0 ? [] : [INTERESTS[(i + seed) % INTERESTS.length]];
    setTimeout(
      () => {
        c.start = JSON.stringify({ type: 'meet-start', name: `b${i}`, interests, language: 'en' });
        c.startedAt = performance.now();
        c.ws.send(c.start);
      },
      Math.floor((i / count) * spreadMs),
    );
  });
  await Promise.race([allMatched, new Promise((r) => setTimeout(r, spreadMs + timeoutMs))]);
  // A moment more, so that a second (wrong) `matched` would have arrived.
  await new Promise((r) => setTimeout(r, 500));
  return {
    ms: performance.now() - t0,
    clients: clients.map((c) => ({
      waitMs: c.waitMs,
      matches: c.matches,
      queuePushes: c.queuePushes,
      retries: c.retries,
      errors: c.errors,
    })),
  };
}

process.on('message', async (msg) => {
  try {
    if (msg.cmd === 'run') {
      process.send({ result: await run(msg) });
    } else if (msg.cmd === 'close') {
      for (const ws of sockets) {
        ws.terminate();
      }
      sockets = [];
      process.exit(0);
    }
  } catch (err) {
    process.send({ error: String(err?.stack ?? err) });
  }
});
process.on('disconnect', () => process.exit(0));
