/**
 * Calls `tick` every `intervalMs`, from a worker so that a hidden tab does not slow it
 * down; with no worker (blocked, or an old browser) a plain timer does the same in the
 * foreground. `stop()` may be called twice.
 */
export function startFrameClock(intervalMs: number, tick: () => void): { stop: () => void } {
  let worker: Worker | null = null;
  try {
    worker = new Worker(new URL('./frame-clock.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = () => tick();
    worker.postMessage({ intervalMs });
  } catch {
    worker = null;
  }
  const timer = worker ? undefined : setInterval(tick, intervalMs);
  return {
    stop: () => {
      worker?.postMessage('stop');
      worker?.terminate();
      worker = null;
      clearInterval(timer);
    },
  };
}
