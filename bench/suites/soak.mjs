/**
 * Soak: 2,000 clients joining and leaving rooms for five minutes (bench/workers/
 * soak-clients.mjs), the server's RSS and heap sampled after a full GC all along, and at
 * the end, once every client has gone, the server's own books read (gateway sessions and
 * sockets, the room directory's rooms and seats): nothing may be left behind.
 */
import { startScript } from '../lib/servers.mjs';
import { forkWorker } from '../lib/worker-pool.mjs';
import { addCounts, round } from '../lib/stats.mjs';

export const title = 'Soak: clients joining and leaving';

/** Shorter than the shipped 20 s, so the end check need not wait long for dropped seats. */
const RESUME_GRACE_MS = 5000;

function settings(quick) {
  return quick
    ? { clients: 200, durationS: 20, workers: 1, stayMs: [1000, 4000], sampleEveryS: 2 }
    : { clients: 2000, durationS: 300, workers: 2, stayMs: [3000, 12000], sampleEveryS: 10 };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mib = (bytes) => round(bytes / 2 ** 20, 1);

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length;
  if (n < 2) {
    return 0;
  }
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

export async function run({ quick, progress }) {
  const s = settings(quick);
  const server = await startScript('parley', 'servers/parley.mjs', {
    args: ['none', `--resume-grace-ms=${RESUME_GRACE_MS}`],
  });
  const workers = Array.from({ length: s.workers }, () => forkWorker('workers/soak-clients.mjs'));
  try {
    const base = await server.memory();
    const per = Math.ceil(s.clients / s.workers);
    const t0 = Date.now();
    const running = Promise.all(
      workers.map((w, i) =>
        w.request(
          {
            cmd: 'soak',
            port: server.port,
            clients: Math.min(per, s.clients - i * per),
            durationMs: s.durationS * 1000,
            // About four people a room, so joins see others and leaves are seen.
            rooms: Math.max(1, Math.round(per / 4)),
            stayMs: s.stayMs,
            seed: 7 + i,
            roomPrefix: `soak-w${i}`,
          },
          (s.durationS + 120) * 1000,
        ),
      ),
    );
    const samples = [];
    let done = false;
    running.finally(() => {
      done = true;
    });
    while (!done) {
      await Promise.race([sleep(s.sampleEveryS * 1000), running]);
      if (done) {
        break;
      }
      const m = await server.memory();
      const st = await server.state();
      const t = (Date.now() - t0) / 1000;
      samples.push({ t: round(t, 1), rss: m.rss, heapUsed: m.heapUsed, ...st });
      progress(
        `${round(t, 0)} s: RSS ${mib(m.rss)} MiB, heap ${mib(m.heapUsed)} MiB, ` +
          `${st.sessions} sessions, ${st.rooms} rooms, ${st.seats} seats`,
      );
    }
    const stats = (await running).map((r) => r.result);
    // Every client has closed; dropped ones' seats go after the grace.
    await sleep(RESUME_GRACE_MS + 1500);
    const left = await server.state();
    const end = await server.memory();
    const cycles = stats.reduce((a, x) => a + x.cycles, 0);
    const joins = stats.reduce((a, x) => a + x.joins, 0);
    const exits = stats.reduce((a, x) => addCounts(a, x.exits), {});
    const errors = stats.reduce((a, x) => addCounts(a, x.errors), {});
    const failures = stats.reduce((a, x) => addCounts(a, x.failures), {});
    progress(`${cycles} join/leave cycles; left behind: ${JSON.stringify(left)}`);

    // The ramp-up (clients still arriving; on a loaded machine it takes minutes, not the
    // one stay it would take alone) ends at the first sample with 90% of the most sessions
    // seen: the slope is over the rest.
    const most = Math.max(...samples.map((x) => x.sessions));
    const rampEnd = samples.find((x) => x.sessions >= 0.9 * most)?.t ?? 0;
    const steady = samples.filter((x) => x.t >= rampEnd);
    const rssSlope = slope(steady.map((x) => [x.t / 60, x.rss / 2 ** 20]));
    const heapSlope = slope(steady.map((x) => [x.t / 60, x.heapUsed / 2 ** 20]));
    const first = steady[0] ?? samples[0];
    const last = steady[steady.length - 1] ?? samples[samples.length - 1];
    const maxRss = Math.max(...samples.map((x) => x.rss));
    const leftOver = left.sessions + left.connections + left.rooms + left.seats;

    const tables = [
      {
        title: 'Soak: churn',
        columns: [
          'clients',
          'minutes',
          'join/leave cycles',
          'joins/s',
          'exits (leave / close / drop)',
          'failures',
          'errors',
        ],
        rows: [
          [
            s.clients,
            round(s.durationS / 60, 2),
            cycles,
            round(joins / s.durationS, 1),
            `${exits.leave ?? 0} / ${exits.close ?? 0} / ${exits.drop ?? 0}`,
            Object.entries(failures)
              .map(([k, v]) => `${k}: ${v}`)
              .join(', ') || 'none',
            Object.entries(errors)
              .map(([k, v]) => `${k}: ${v}`)
              .join(', ') || 'none',
          ],
        ],
      },
      {
        title: `Soak: server memory over time (after full GC; steady from ${rampEnd} s)`,
        columns: ['', 'RSS MiB', 'heap MiB'],
        rows: [
          ['before any client', mib(base.rss), mib(base.heapUsed)],
          [
            `first steady sample (${first?.t} s)`,
            mib(first?.rss ?? NaN),
            mib(first?.heapUsed ?? NaN),
          ],
          [`last sample (${last?.t} s)`, mib(last?.rss ?? NaN), mib(last?.heapUsed ?? NaN)],
          ['max', mib(maxRss), mib(Math.max(...samples.map((x) => x.heapUsed)))],
          ['slope, MiB per minute', round(rssSlope, 2), round(heapSlope, 2)],
          ['after every client left', mib(end.rss), mib(end.heapUsed)],
        ],
      },
      {
        title: 'Soak: left behind once every client has gone',
        columns: ['sessions', 'open sockets', 'rooms', 'seats'],
        rows: [[left.sessions, left.connections, left.rooms, left.seats]],
      },
      {
        title: 'Soak targets',
        columns: ['target', 'value', 'status'],
        rows: [
          [
            'soak: no session, room or seat left behind',
            String(leftOver),
            leftOver === 0 ? 'met' : 'not met',
          ],
          [
            'soak: heap flat (slope ≤ 1 MiB/min over the steady part)',
            `${round(heapSlope, 2)} MiB/min`,
            heapSlope <= 1 ? 'met' : 'not met',
          ],
        ],
      },
    ];
    if (leftOver !== 0) {
      // The run fails: a leak is a bug, not a number to report.
      throw new Error(`left behind after every client went: ${JSON.stringify(left)}`);
    }
    return {
      tables,
      data: {
        settings: { ...s, resumeGraceMs: RESUME_GRACE_MS },
        method:
          `${s.clients.toLocaleString('en')} clients in ${s.workers} processes for ${s.durationS} s, each one person over and over: connect, hello, ` +
          `join one of ${Math.round(s.clients / s.workers / 4)} rooms per process (about four people a room), stay ${s.stayMs[0] / 1000}–${s.stayMs[1] / 1000} s ` +
          'changing its mic state now and then, and go: `leave` then close (3 in 5), close without leave (1 in 5), or drop the socket ' +
          'without a close (1 in 5: the seat is held for the resume grace). At the end all close cleanly. Per-address connection ' +
          `limits lifted (bench/servers/parley.mjs); resume grace ${RESUME_GRACE_MS / 1000} s instead of 20 s so the end check waits less. ` +
          `Server RSS and heap after two forced GCs every ${s.sampleEveryS} s; the slope is a least-squares fit over the samples after the ramp-up ` +
          '(from the first sample with 90% of the most sessions seen). A join refused with room_full (detached seats count until their grace ends) ' +
          'or a connection the server did not accept in time counts under "failures". ' +
          'What is left is read from the server itself: its gateway (sessions, sockets) and its room directory (rooms, seats)',
        cycles,
        joins,
        exits,
        errors,
        failures,
        samples,
        left,
        memory: { base, end },
        rampEndS: rampEnd,
        rssSlopeMiBPerMin: round(rssSlope, 3),
        heapSlopeMiBPerMin: round(heapSlope, 3),
      },
    };
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await server.stop();
  }
}
