/**
 * Ticks for the recording's frames. A page in a background tab gets no animation frames
 * and its timers slowed to once a second or less; a worker's timers are not, so a
 * recording made while the user looks at another tab keeps its frame rate.
 */
let timer: ReturnType<typeof setInterval> | undefined;

self.onmessage = (e: MessageEvent<{ intervalMs: number } | 'stop'>) => {
  clearInterval(timer);
  if (e.data !== 'stop') {
    timer = setInterval(() => self.postMessage('tick'), e.data.intervalMs);
  }
};
