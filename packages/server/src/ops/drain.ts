import { MAX_TIMER_MS } from '../timers.js';

/**
 * Wait for `drained` (every client gone), or `timeoutMs`, whichever comes first.
 * Resolves true when everyone left in time.
 */
export async function waitForDrain(drained: Promise<void>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.min(timeoutMs, MAX_TIMER_MS));
  });
  try {
    return await Promise.race([drained.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
