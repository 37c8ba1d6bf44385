#!/usr/bin/env node
/**
 * Relay load generator, forked by the relay suite (one or more per server, never in the
 * server's process). It holds `pairs` pairs of clients, each pair alone in a room, and on
 * request offers `rate` messages/s for a step: one frame in five is an SDP offer
 * (4–6 KB), the rest ICE candidates (~200 B), in both directions. Each frame carries its
 * send time; the partner, in this same process, reads it back, so latency needs no clock
 * sync. Messages sent during the measuring window that never arrive count as lost.
 */
import { performance } from 'node:perf_hooks';
import { openPair, TS_MARKER } from '../lib/drivers.mjs';
import { newHistogram, record } from '../lib/stats.mjs';

const MARKER = Buffer.from(TS_MARKER);
const ERROR = Buffer.from('"type":"error"');
/** A message sent this much behind its schedule: the generator is not keeping up. */
const LATE_MS = 20;

let directions = [];
let window = { from: Infinity, to: -Infinity };
let hist = newHistogram();
let receivedInWindow = 0;
let errors = 0;
let firstError = '';

function onFrame(data) {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  const at = buf.indexOf(MARKER);
  if (at < 0) {
    if (buf.indexOf(ERROR) >= 0) {
      errors += 1;
      firstError ||= buf.toString().slice(0, 300);
    }
    return;
  }
  const now = performance.now();
  const sentAt = parseFloat(buf.toString('latin1', at + MARKER.length, at + MARKER.length + 24));
  if (sentAt >= window.from && sentAt <= window.to) {
    receivedInWindow += 1;
    record(hist, now - sentAt);
  }
}

/** `portB`, when given, is where the second client of each pair connects (another node). */
async function setup({ kind, port, portB, pairs, roomPrefix }) {
  directions = [];
  for (let i = 0; i < pairs; i++) {
    const room = `${roomPrefix}-${i}`;
    const p = await openPair(kind, port, room, portB);
    p.a.ws.on('message', onFrame);
    p.b.ws.on('message', onFrame);
    directions.push({ ws: p.a.ws, t: p.aToB, n: 0 }, { ws: p.b.ws, t: p.bToA, n: 0 });
  }
}

function sendOne(dir, now) {
  const ts = now.toFixed(3);
  const k = dir.n++;
  const [pre, post] = k % 5 === 0 ? dir.t.offers[(k / 5) % dir.t.offers.length] : dir.t.candidate;
  dir.ws.send(pre + ts + post);
}

/** Offer `rate` msg/s for warmup+measure ms, then wait for stragglers up to drain ms. */
async function step({ rate, warmupMs, measureMs, drainMs }) {
  hist = newHistogram();
  receivedInWindow = 0;
  errors = 0;
  firstError = '';
  const start = performance.now();
  window = { from: start + warmupMs, to: start + warmupMs + measureMs };
  const end = window.to;
  let sent = 0;
  let sentInWindow = 0;
  let late = 0;
  let maxLagMs = 0;
  let next = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.floor(((Math.min(now, end) - start) / 1000) * rate) - sent;
      for (let i = 0; i < due; i++) {
        const t = performance.now();
        // How far behind its schedule this message leaves: the generator's own lag.
        const lag = t - (start + ((sent + i + 1) / rate) * 1000);
        maxLagMs = Math.max(maxLagMs, lag);
        if (lag > LATE_MS) {
          late += 1;
        }
        sendOne(directions[next], t);
        next = (next + 1) % directions.length;
        if (t >= window.from && t <= window.to) {
          sentInWindow += 1;
        }
      }
      sent += Math.max(0, due);
      if (now >= end) {
        resolve();
      } else {
        setTimeout(tick, 1);
      }
    };
    tick();
  });
  const sendDone = performance.now();
  while (receivedInWindow < sentInWindow && performance.now() - sendDone < drainMs) {
    await new Promise((r) => setTimeout(r, 5));
  }
  return {
    rate,
    sent,
    sentInWindow,
    receivedInWindow,
    achievedRate: sent / ((warmupMs + measureMs) / 1000),
    late,
    maxLagMs,
    errors,
    firstError,
    hist,
  };
}

process.on('message', async (msg) => {
  try {
    if (msg.cmd === 'setup') {
      await setup(msg);
      process.send({ ready: true });
    } else if (msg.cmd === 'step') {
      process.send({ result: await step(msg) });
    } else if (msg.cmd === 'close') {
      for (const d of directions) {
        d.ws.terminate();
      }
      process.exit(0);
    }
  } catch (err) {
    process.send({ error: String(err?.stack ?? err) });
  }
});
process.on('disconnect', () => process.exit(0));
