import { PerformanceObserver, constants } from 'node:perf_hooks';

/**
 * The bench talks to every server it starts (Parley and the references alike) over the
 * fork() IPC channel: the server announces its port, and answers `memory` requests
 * after a full GC so that RSS growth per connection is not hidden by garbage.
 * Every server runs with --expose-gc for that reason. `gc` requests return the garbage
 * collector's pauses since the last one, seen by the same observer in every server.
 * A server that can say what it holds passes `state` (Parley: sessions, rooms, seats),
 * answered to `state` requests, so that a bench can check that nothing was left behind.
 */
export function announce(port, { state } = {}) {
  process.stdout.write(`PORT ${port}\n`);
  // Exit normally on SIGTERM so that --cpu-prof / --heap-prof write their profiles.
  process.once('SIGTERM', () => process.exit(0));
  if (!process.send) {
    return;
  }
  process.send({ port });
  let pauses = { count: 0, totalMs: 0, maxMs: 0, full: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      pauses.count += 1;
      pauses.totalMs += e.duration;
      pauses.maxMs = Math.max(pauses.maxMs, e.duration);
      if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        pauses.full += 1;
      }
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('message', (msg) => {
    if (msg?.cmd === 'gc') {
      process.send({ gc: pauses });
      pauses = { count: 0, totalMs: 0, maxMs: 0, full: 0 };
    }
    if (msg?.cmd === 'cpu') {
      const c = process.cpuUsage();
      process.send({ cpu: { user: c.user, system: c.system } });
    }
    if (msg?.cmd === 'state') {
      Promise.resolve(state?.() ?? {}).then(
        (value) => process.send({ state: value }),
        (err) => process.send({ state: { error: String(err) } }),
      );
    }
    if (msg?.cmd === 'memory') {
      globalThis.gc?.();
      globalThis.gc?.();
      const m = process.memoryUsage();
      process.send({ memory: { rss: m.rss, heapUsed: m.heapUsed, external: m.external } });
    }
  });
  // The bench owns this process: when it goes away, so do we.
  process.on('disconnect', () => process.exit(0));
}
