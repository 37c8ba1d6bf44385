/**
 * CPU time of processes and process trees from /proc/<pid>/stat (Linux), to charge a
 * browser's work to the participant it hosts: its own process and every descendant
 * (zygotes, renderers, GPU, network, audio and video-capture services).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

let tick = null;
/** Clock ticks per second (USER_HZ), usually 100. */
export function clockTicks() {
  if (tick === null) {
    try {
      tick = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      tick = 100;
    }
  }
  return tick;
}

/**
 * {pid, ppid, comm, ticks, children} of one process, or null if it is gone. `ticks` is
 * user + system time of the process and of its children that have exited and been
 * waited for (`children`), so work done by a short-lived child stays on the tree.
 */
function readStat(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name is in parentheses and may itself hold spaces or parentheses.
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const f = text.slice(close + 2).split(' ');
  // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
  return {
    pid,
    ppid: Number(f[1]),
    comm,
    ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]),
    children: Number(f[13]) + Number(f[14]),
  };
}

/** Every process on the machine now. */
export function allProcesses() {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (/^\d+$/.test(name)) {
      const s = readStat(Number(name));
      if (s) {
        out.push(s);
      }
    }
  }
  return out;
}

/** Pids of `root` and all its descendants in a process list. */
export function treePids(procs, root) {
  const children = new Map();
  for (const p of procs) {
    (children.get(p.ppid) ?? children.set(p.ppid, []).get(p.ppid)).push(p.pid);
  }
  const out = new Set();
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    if (!out.has(pid)) {
      out.add(pid);
      stack.push(...(children.get(pid) ?? []));
    }
  }
  return out;
}

/** The direct children of `pid` whose command name matches `comm`. */
export function childrenOf(pid, comm) {
  return allProcesses()
    .filter((p) => p.ppid === pid && comm.test(p.comm))
    .map((p) => p.pid);
}

/** Busy ticks of the whole machine, all cores (/proc/stat: all but idle and iowait). */
function machineBusy() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1);
  const [user, nice, system, , , irq, softirq, steal] = f.map(Number);
  return user + nice + system + irq + softirq + (steal || 0);
}

/** A snapshot of every process's CPU ticks, to subtract from a later one. */
export function cpuSnapshot() {
  return { at: performance.now(), busy: machineBusy(), procs: allProcesses() };
}

/**
 * CPU used between two snapshots, as % of one core: for each root's tree (as it is at
 * the end) and each single process; the whole machine; and the rest (machine minus
 * those), with its largest processes by command name. A process born in between counts
 * from zero. One that ended and was reaped inside a tree is in its parent's children's
 * time (all of its life, a slight overcount if it began before the window). Outside our
 * trees only each process's own time is grouped, since a shell's reaped children would
 * bring their whole lives in; `rest` comes from the machine's total instead.
 */
export function cpuBetween(a, b, roots, singles = {}) {
  const before = new Map(a.procs.map((p) => [p.pid, p.ticks]));
  const seconds = (b.at - a.at) / 1000;
  const pct = (ticks) => (100 * ticks) / clockTicks() / seconds;
  const used = (p) => Math.max(0, p.ticks - (before.get(p.pid) ?? 0));
  const mine = new Set();
  const trees = {};
  for (const [name, root] of Object.entries(roots)) {
    const pids = treePids(b.procs, root);
    let ticks = 0;
    for (const p of b.procs) {
      if (pids.has(p.pid)) {
        ticks += used(p);
        mine.add(p.pid);
      }
    }
    trees[name] = pct(ticks);
  }
  // Processes counted alone (the bench's own driver, parent of the browsers).
  for (const [name, pid] of Object.entries(singles)) {
    const p = b.procs.find((q) => q.pid === pid);
    trees[name] = p ? pct(used(p)) : 0;
    mine.add(pid);
  }
  const prev = new Map(a.procs.map((p) => [p.pid, p]));
  const others = {};
  for (const p of b.procs) {
    if (!mine.has(p.pid)) {
      const was = prev.get(p.pid);
      const own = p.ticks - p.children - (was ? was.ticks - was.children : 0);
      others[p.comm] = (others[p.comm] ?? 0) + Math.max(0, own);
    }
  }
  for (const k of Object.keys(others)) {
    others[k] = pct(others[k]);
  }
  const machine = pct(b.busy - a.busy);
  const ours = Object.values(trees).reduce((x, y) => x + y, 0);
  return { seconds, trees, machine, rest: Math.max(0, machine - ours), others };
}
