/**
 * Start the servers under test as child processes (never in the bench's own process,
 * so that load generators and servers do not share an event loop).
 */
import { fork } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pin } from './cpus.mjs';

const here = new URL('..', import.meta.url).pathname;

/** The four servers every server-side bench compares, Parley first. */
export const SERVERS = [
  { kind: 'parley', label: 'Parley', script: 'servers/parley.mjs' },
  { kind: 'bare', label: 'bare ws relay', script: 'reference/bare-relay.mjs' },
  { kind: 'peerjs', label: 'PeerJS server', script: 'reference/peerjs-server.mjs' },
  { kind: 'socketio', label: 'Socket.IO gateway', script: 'reference/socketio-gateway.mjs' },
];

export function serverLabel(kind) {
  return SERVERS.find((s) => s.kind === kind)?.label ?? kind;
}

/**
 * Node flag sets a variant may add (`parley+young16`): V8's young generation fixed at
 * 16 MB per semi-space, so that it neither shrinks while the server idles nor has to
 * grow back, collecting in small steps, under the next burst of load.
 */
export const FLAG_SETS = {
  young16: ['--min-semi-space-size=16', '--max-semi-space-size=16'],
};

/**
 * One server to measure: a plain kind (`parley`, `bare`, …) or a variant of Parley for
 * before/after runs: `parley@<git ref>` is Parley built from that commit
 * (bench/lib/baseline.mjs), `parley+<flag set>` runs with extra Node flags (FLAG_SETS);
 * both combine (`parley@main+young16`). `driver` is how clients speak to it.
 */
export async function serverSpec(name) {
  const plain = SERVERS.find((s) => s.kind === name);
  if (plain) {
    return { ...plain, driver: plain.kind, args: [], execArgv: [] };
  }
  const m = /^parley(?:@([^+]+))?((?:\+[a-z0-9]+)*)$/.exec(name);
  const sets = m ? m[2].split('+').filter(Boolean) : [];
  const unknown = sets.filter((f) => !FLAG_SETS[f]);
  if (!m || unknown.length) {
    throw new Error(`unknown server ${name} (flag sets: ${Object.keys(FLAG_SETS).join(', ')})`);
  }
  const { baselineServer } = await import('./baseline.mjs');
  return {
    kind: name,
    driver: 'parley',
    label: `Parley${m[1] ? ` @${m[1]}` : ''}${sets.map((f) => ` +${f}`).join('')}`,
    script: 'servers/parley.mjs',
    args: m[1] ? ['none', baselineServer(m[1])] : [],
    execArgv: sets.flatMap((f) => FLAG_SETS[f]),
  };
}

/** Start a server from serverSpec(). */
export function startSpec(spec) {
  return startScript(spec.kind, spec.script, { args: spec.args, execArgv: spec.execArgv });
}

/**
 * Fork one server and wait for its port.
 * @returns {Promise<{kind: string, port: number, pid: number, memory(): Promise<{rss:number, heapUsed:number}>, stop(): Promise<void>}>}
 */
export function startServer(kind, options = {}) {
  const spec = SERVERS.find((s) => s.kind === kind);
  if (!spec) {
    throw new Error(`unknown server ${kind}`);
  }
  return startScript(kind, spec.script, options);
}

/** Fork any bench server script (path relative to bench/) that announces its port. */
export function startScript(kind, script, { args = [], execArgv = [] } = {}) {
  // BENCH_PROFILE=cpu|heap profiles Parley (never the references) into
  // $BENCH_PROFILE_DIR, by default <tmp>/parley-bench-profiles.
  const profile = process.env.BENCH_PROFILE;
  const profDir = process.env.BENCH_PROFILE_DIR ?? join(tmpdir(), 'parley-bench-profiles');
  const profArgs =
    kind.startsWith('parley') && profile
      ? [`--${profile}-prof`, `--${profile}-prof-dir=${profDir}`]
      : [];
  const child = fork(here + script, args, {
    execArgv: ['--expose-gc', ...profArgs, ...execArgv],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${kind} did not start in 20 s: ${stderr}`));
    }, 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} exited with ${code} before listening: ${stderr}`));
    });
    child.once('message', (msg) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      pin(child.pid, 'BENCH_SERVER_CPUS');
      resolve({
        kind,
        port: msg.port,
        pid: child.pid,
        child,
        /** CPU time the server has used so far, in µs (user + system). */
        cpu() {
          return new Promise((res) => {
            const onMsg = (m) => {
              if (m.cpu) {
                child.off('message', onMsg);
                res(m.cpu.user + m.cpu.system);
              }
            };
            child.on('message', onMsg);
            child.send({ cmd: 'cpu' });
          });
        },
        /**
         * Collector pauses since the previous call: count, total and longest (ms), and how
         * many were full (mark-compact) collections.
         */
        gc() {
          return new Promise((res) => {
            const onMsg = (m) => {
              if (m.gc) {
                child.off('message', onMsg);
                res(m.gc);
              }
            };
            child.on('message', onMsg);
            child.send({ cmd: 'gc' });
          });
        },
        /** What the server holds now (sessions, rooms, seats), when its script says. */
        state() {
          return new Promise((res) => {
            const onMsg = (m) => {
              if (m.state) {
                child.off('message', onMsg);
                res(m.state);
              }
            };
            child.on('message', onMsg);
            child.send({ cmd: 'state' });
          });
        },
        memory() {
          return new Promise((res) => {
            const onMsg = (m) => {
              if (m.memory) {
                child.off('message', onMsg);
                res(m.memory);
              }
            };
            child.on('message', onMsg);
            child.send({ cmd: 'memory' });
          });
        },
        stop() {
          return new Promise((res) => {
            if (child.exitCode !== null || child.signalCode !== null) {
              res();
              return;
            }
            child.once('exit', () => res());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 3000).unref();
          });
        },
      });
    });
  });
}
