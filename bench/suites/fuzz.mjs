/**
 * Fuzzing a live server: 100,000 random and mutated frames (bench/lib/frame-fuzzer.mjs)
 * from several attacker sockets in two processes, while two participants keep a call going
 * on the same server (bench/lib/call-pair.mjs). Reports what the attackers sent and got
 * back (errors by code, closes by code), whether the server stayed up, what the
 * participants lost (must be nothing), and the server's memory before and after.
 */
import WebSocket from 'ws';
import { startScript } from '../lib/servers.mjs';
import { forkWorker } from '../lib/worker-pool.mjs';
import { startCallPair } from '../lib/call-pair.mjs';
import { addCounts, round } from '../lib/stats.mjs';

export const title = 'Fuzzing a live server';

/** The server's frame limit in this bench: the default, given explicitly since the frames are sized by it. */
const MAX_MESSAGE_BYTES = 65_536;
const SEED = 0x5eed;

function settings(quick) {
  return quick
    ? { frames: 4_000, workers: 1, socketsPerWorker: 4 }
    : { frames: 100_000, workers: 2, socketsPerWorker: 4 };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mib = (bytes) => round(bytes / 2 ** 20, 1);

/** A newcomer can still connect, say hello and be welcomed. */
function serverAnswers(port) {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { perMessageDeflate: false });
    const timer = setTimeout(() => {
      ws.terminate();
      resolve(false);
    }, 10_000);
    ws.on('error', () => resolve(false));
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', v: 1 })));
    ws.on('message', (data) => {
      if (JSON.parse(data.toString()).type === 'welcome') {
        clearTimeout(timer);
        ws.close(1000);
        resolve(true);
      }
    });
  });
}

export async function run({ quick, progress }) {
  const s = settings(quick);
  // Resume grace short, so that the sockets the server closed (1009, 1007) give their
  // seats back before the end check; heartbeat as shipped.
  const server = await startScript('parley', 'servers/parley.mjs', {
    args: ['none', `--max-message-bytes=${MAX_MESSAGE_BYTES}`, '--resume-grace-ms=1000'],
  });
  const workers = Array.from({ length: s.workers }, () => forkWorker('workers/fuzz-attackers.mjs'));
  try {
    const call = await startCallPair(server.port);
    await sleep(1000);
    const before = await server.memory();
    progress(`call up; server RSS ${mib(before.rss)} MiB, heap ${mib(before.heapUsed)} MiB`);
    const t0 = performance.now();
    const per = Math.ceil(s.frames / s.workers);
    const replies = await Promise.all(
      workers.map((w, i) =>
        w.request(
          {
            cmd: 'attack',
            port: server.port,
            sockets: s.socketsPerWorker,
            frames: Math.min(per, s.frames - i * per),
            seed: SEED + i,
            maxMessageBytes: MAX_MESSAGE_BYTES,
          },
          1_800_000,
        ),
      ),
    );
    const attackS = (performance.now() - t0) / 1000;
    const during = await server.memory();
    const tally = await call.stop();
    const stats = replies.map((r) => r.result);
    const sent = stats.reduce((a, x) => a + x.sent, 0);
    const errors = stats.reduce((a, x) => addCounts(a, x.errors), {});
    const closes = stats.reduce((a, x) => addCounts(a, x.closes), {});
    const byMutation = stats.reduce((a, x) => addCounts(a, x.byMutation), {});
    const connections = stats.reduce((a, x) => a + x.connections, 0);
    const otherReplies = stats.reduce((a, x) => a + x.otherReplies, 0);
    progress(
      `${sent} frames in ${round(attackS, 1)} s over ${connections} connections; ` +
        `participants lost ${tally.lost}, ${tally.outOfOrder} out of order, ${tally.corrupted} corrupted`,
    );
    // Let dropped sessions' grace run out (1 s) and the collector settle.
    await sleep(2500);
    const up = await serverAnswers(server.port);
    await sleep(300);
    const after = await server.memory();
    const state = await server.state();
    progress(`server up: ${up}; left: ${JSON.stringify(state)}; RSS ${mib(after.rss)} MiB`);

    const byCount = (o) => Object.entries(o).sort((x, y) => y[1] - x[1]);
    const tables = [
      {
        title: 'Fuzz: what the attackers sent and what came back',
        columns: [
          'frames sent',
          'frames/s',
          'attacker connections',
          'error frames',
          'other replies',
          'closed by server',
        ],
        rows: [
          [
            sent,
            Math.round(sent / attackS),
            connections,
            Object.values(errors).reduce((a, v) => a + v, 0),
            otherReplies,
            Object.entries(closes)
              .filter(([code]) => code !== '1000')
              .map(([code, n]) => `${code}: ${n}`)
              .join(', ') || 'none',
          ],
        ],
      },
      {
        title: 'Fuzz: error frames by code',
        columns: ['code', 'count'],
        rows: byCount(errors),
      },
      {
        title: 'Fuzz: the call beside it',
        columns: [
          'signals sent',
          'chat lines sent',
          'lost',
          'out of order',
          'corrupted',
          'participant errors',
          'server up after',
        ],
        rows: [
          [
            tally.signalsSent,
            tally.chatsSent,
            tally.lost,
            tally.outOfOrder,
            tally.corrupted,
            byCount(tally.errors)
              .map(([c, n]) => `${c}: ${n}`)
              .join(', ') || 'none',
            up ? 'yes' : 'NO',
          ],
        ],
      },
      {
        title: 'Fuzz: server memory (after full GC)',
        columns: ['', 'RSS MiB', 'heap MiB'],
        rows: [
          ['before', mib(before.rss), mib(before.heapUsed)],
          ['right after the attack', mib(during.rss), mib(during.heapUsed)],
          ['after, attackers gone', mib(after.rss), mib(after.heapUsed)],
        ],
      },
      {
        title: 'Fuzz targets',
        columns: ['target', 'value', 'status'],
        rows: [
          ['fuzz: server up after the frames', up ? 'yes' : 'no', up ? 'met' : 'not met'],
          [
            'fuzz: participant messages lost, reordered or corrupted',
            `${tally.lost} / ${tally.outOfOrder} / ${tally.corrupted}`,
            tally.lost + tally.outOfOrder + tally.corrupted === 0 ? 'met' : 'not met',
          ],
          [
            'fuzz: heap flat (after ≤ before + 5 MiB)',
            `${mib(before.heapUsed)} → ${mib(after.heapUsed)} MiB`,
            after.heapUsed <= before.heapUsed + 5 * 2 ** 20 ? 'met' : 'not met',
          ],
        ],
      },
    ];
    return {
      tables,
      data: {
        settings: { ...s, maxMessageBytes: MAX_MESSAGE_BYTES, seed: SEED },
        method:
          `${s.frames.toLocaleString('en')} frames from ${s.workers * s.socketsPerWorker} attacker sockets in ${s.workers} processes ` +
          '(bench/lib/frame-fuzzer.mjs: valid frames of 19 client types, then a field removed, retyped, added or made oversize, ' +
          'unknown or missing type, JSON cut short, bytes flipped, random text, binary frames, non-objects, nesting up to ' +
          `20,000 deep; and 1 frame in 100 each of invalid UTF-8 and over --max-message-bytes=${MAX_MESSAGE_BYTES}, which close the socket), ` +
          '25 frames then a barrier per socket so no socket runs ahead ' +
          'of the server; a socket the server closes is replaced. Two participants (from 127.0.0.2) keep a call going on the same server, ' +
          'each sending a numbered signal every 20 ms and a numbered chat line every 500 ms, each checked on arrival. ' +
          'Per-address connection limits lifted (bench/servers/parley.mjs); per-socket and per-address chat and data limits as shipped; ' +
          'resume grace 1 s so closed sockets give their seats back before the end check. Memory after two forced GCs',
        sent,
        attackS: round(attackS, 1),
        byMutation,
        errors,
        closes,
        connections,
        otherReplies,
        call: tally,
        serverUp: up,
        memory: { before, during, after },
        leftAfter: state,
      },
    };
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await server.stop();
  }
}
