/** Poll `pred` until it holds; reject after `timeoutMs`. For tests only. */
export function until(
  pred: () => boolean | undefined,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = (): void => {
      if (pred()) {
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        reject(new Error(`${what} not met within ${timeoutMs} ms`));
      } else {
        setTimeout(tick, 20);
      }
    };
    tick();
  });
}
