#!/usr/bin/env node
/**
 * Soak clients, forked by the soak suite. Runs `clients` lanes until `durationMs` is up;
 * each lane is one person over and over: connect, hello, join one of `rooms` rooms, stay
 * a while (changing its mic state now and then), and go, in one of three ways: `leave`
 * then close (the SDK's goodbye), close without `leave`, or drop the socket without a
 * close handshake (a lost network: the server holds the seat for its resume grace).
 * At the end every lane closes cleanly. Counts what happened, by kind.
 */
import WebSocket from 'ws';
import { rng } from '../lib/frame-fuzzer.mjs';

const EXITS = ['leave', 'leave', 'leave', 'close', 'drop'];

function waitFor(ws, types, timeoutMs = 20_000) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done({ type: 'timeout' }), timeoutMs);
    const onMessage = (data) => {
      const msg = JSON.parse(data.toString());
      if (types.includes(msg.type) || msg.type === 'error') {
        done(msg);
      }
    };
    const onClose = (code) => done({ type: 'closed', code });
    const done = (value) => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve(value);
    };
    ws.on('message', onMessage);
    ws.on('close', onClose);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function soak({ port, clients, durationMs, rooms, stayMs, seed, roomPrefix }) {
  const r = rng(seed);
  const deadline = Date.now() + durationMs;
  const stats = { cycles: 0, joins: 0, exits: {}, errors: {}, failures: {}, mediaUpdates: 0 };
  const fail = (what) => {
    stats.failures[what] = (stats.failures[what] ?? 0) + 1;
  };

  const lane = async () => {
    // Spread the first connections over one stay, so the clients do not arrive as one wave.
    await sleep(r.int(stayMs[1]));
    while (Date.now() < deadline) {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { perMessageDeflate: false });
      ws.on('error', () => {});
      const opened = await new Promise((resolve) => {
        ws.once('open', () => resolve(true));
        ws.once('close', () => resolve(false));
      });
      if (!opened) {
        fail('connect');
        await sleep(500);
        continue;
      }
      const closed = new Promise((resolve) => ws.once('close', resolve));
      stats.cycles += 1;
      ws.send(JSON.stringify({ type: 'hello', v: 1 }));
      const welcome = await waitFor(ws, ['welcome']);
      if (welcome.type !== 'welcome') {
        fail(`hello: ${welcome.code ?? welcome.type}`);
        ws.terminate();
        continue;
      }
      ws.send(
        JSON.stringify({
          type: 'join',
          room: `${roomPrefix}-${r.int(rooms)}`,
          name: 'Soak',
          media: { audio: true, video: false },
        }),
      );
      const joined = await waitFor(ws, ['joined']);
      if (joined.type === 'joined') {
        stats.joins += 1;
      } else {
        fail(`join: ${joined.code ?? joined.type}`);
      }
      ws.on('message', (data) => {
        const msg = JSON.parse(data.toString());
        if (msg.type === 'error') {
          stats.errors[msg.code] = (stats.errors[msg.code] ?? 0) + 1;
        }
      });
      const stay = stayMs[0] + r.int(stayMs[1] - stayMs[0]);
      const end = Math.min(Date.now() + stay, deadline);
      while (Date.now() < end && ws.readyState === WebSocket.OPEN) {
        await sleep(Math.min(1000 + r.int(2000), Math.max(0, end - Date.now())));
        if (ws.readyState === WebSocket.OPEN && r.chance(0.3)) {
          stats.mediaUpdates += 1;
          ws.send(
            JSON.stringify({ type: 'media-state', media: { audio: r.chance(0.5), video: false } }),
          );
        }
      }
      // At the deadline everyone says goodbye: what is left after that is the server's.
      const exit = Date.now() >= deadline ? 'leave' : r.pick(EXITS);
      stats.exits[exit] = (stats.exits[exit] ?? 0) + 1;
      if (exit === 'leave') {
        ws.send(JSON.stringify({ type: 'leave' }));
        ws.close(1000);
      } else if (exit === 'close') {
        ws.close(1000);
      } else {
        ws.terminate();
      }
      await closed;
    }
  };
  await Promise.all(Array.from({ length: clients }, lane));
  return stats;
}

process.on('message', async (msg) => {
  try {
    if (msg.cmd === 'soak') {
      process.send({ result: await soak(msg) });
    } else if (msg.cmd === 'close') {
      process.exit(0);
    }
  } catch (err) {
    process.send({ error: String(err?.stack ?? err) });
  }
});
process.on('disconnect', () => process.exit(0));
