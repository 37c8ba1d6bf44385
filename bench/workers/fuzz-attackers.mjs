#!/usr/bin/env node
/**
 * Fuzz attacker, forked by the fuzz suite. Keeps `sockets` connections to the server and
 * sends random and mutated frames (bench/lib/frame-fuzzer.mjs) until `frames` are sent in
 * all. Each connection greets or not and joins a room of its own or not, then sends
 * batches of frames, each batch followed by a barrier (a frame of an unknown type with a
 * request id, answered in every state) so that it never runs ahead of the server. A
 * connection the server closes is counted by close code and replaced by a new one.
 */
import WebSocket from 'ws';
import { fuzzFrame, rng } from '../lib/frame-fuzzer.mjs';

const BATCH = 25;

function open(port) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { perMessageDeflate: false });
  ws.on('error', () => {});
  return ws;
}

async function attack({ port, sockets, frames, seed, maxMessageBytes }) {
  const r = rng(seed);
  const stats = {
    sent: 0,
    byMutation: {},
    errors: {},
    closes: {},
    otherReplies: 0,
    connections: 0,
    unparsable: 0,
  };
  let barrierSeq = 0;

  const lane = async (laneNo) => {
    while (stats.sent < frames) {
      const ws = open(port);
      stats.connections += 1;
      let waiting = null;
      const closed = new Promise((resolve) => {
        ws.once('close', (code) => {
          stats.closes[code] = (stats.closes[code] ?? 0) + 1;
          waiting?.resolve();
          resolve();
        });
      });
      ws.on('message', (data) => {
        let msg;
        try {
          msg = JSON.parse(data.toString());
        } catch {
          stats.unparsable += 1;
          return;
        }
        if (waiting && msg.rid === waiting.rid) {
          waiting.resolve();
          return;
        }
        if (msg.type === 'error') {
          stats.errors[msg.code] = (stats.errors[msg.code] ?? 0) + 1;
        } else {
          stats.otherReplies += 1;
        }
      });
      const opened = await new Promise((resolve) => {
        ws.once('open', () => resolve(true));
        ws.once('close', () => resolve(false));
      });
      if (!opened) {
        continue;
      }
      if (r.chance(0.8)) {
        ws.send(JSON.stringify({ type: 'hello', v: 1 }));
        if (r.chance(0.5)) {
          ws.send(
            JSON.stringify({
              type: 'join',
              room: `attack-${laneNo}-${r.int(1e9)}`,
              name: 'Attacker',
              media: { audio: false, video: false },
            }),
          );
        }
      }
      while (stats.sent < frames && ws.readyState === WebSocket.OPEN) {
        for (let i = 0; i < BATCH && stats.sent < frames; i++) {
          if (ws.readyState !== WebSocket.OPEN) {
            break; // closed by the server mid-batch: what follows goes on a new socket
          }
          const { mutation, data, binary } = fuzzFrame(r, maxMessageBytes);
          stats.sent += 1;
          stats.byMutation[mutation] = (stats.byMutation[mutation] ?? 0) + 1;
          ws.send(data, { binary: binary ?? false });
        }
        if (ws.readyState !== WebSocket.OPEN) {
          break; // closed by the server (an oversize frame, invalid UTF-8)
        }
        const rid = `barrier-${++barrierSeq}`;
        await new Promise((resolve) => {
          waiting = { rid, resolve };
          ws.send(JSON.stringify({ type: 'fuzz-barrier', rid }));
        });
        waiting = null;
      }
      if (ws.readyState === WebSocket.OPEN) {
        ws.close(1000);
      }
      await closed;
    }
  };
  await Promise.all(Array.from({ length: sockets }, (_, i) => lane(i)));
  return stats;
}

process.on('message', async (msg) => {
  try {
    if (msg.cmd === 'attack') {
      process.send({ result: await attack(msg) });
    } else if (msg.cmd === 'close') {
      process.exit(0);
    }
  } catch (err) {
    process.send({ error: String(err?.stack ?? err) });
  }
});
process.on('disconnect', () => process.exit(0));
