#!/usr/bin/env node
/**
 * Idle client holder, forked by the connections suite. Opens `count` connections to a
 * server, each one fully set up as a call participant would be (handshake, then a room
 * shared with one other client), at most `concurrency` in flight, then keeps them open
 * and silent until told to close.
 */
import { performance } from 'node:perf_hooks';
import { drivers } from '../lib/drivers.mjs';

let sockets = [];

async function openAll({ kind, port, count, concurrency, roomPrefix }) {
  const d = drivers[kind];
  const start = performance.now();
  let next = 0;
  let failed = 0;
  let firstError = '';
  const lane = async () => {
    while (next < count) {
      const i = next++;
      try {
        const c = await d.open(port, { room: `${roomPrefix}-${i >> 1}` });
        sockets.push(c.ws);
      } catch (err) {
        failed += 1;
        firstError ||= String(err?.message ?? err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return { opened: sockets.length, failed, firstError, ms: performance.now() - start };
}

process.on('message', async (msg) => {
  try {
    if (msg.cmd === 'open') {
      process.send({ result: await openAll(msg) });
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
