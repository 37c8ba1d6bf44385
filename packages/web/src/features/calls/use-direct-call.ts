import { useEffect, useReducer } from 'react';
import type { DirectCall } from '@parley/client';

/** Re-render on every change of a DirectCall (its fields are read live). */
export function useDirectCall(call: DirectCall | null): void {
  const [, refresh] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (!call) {
      return;
    }
    const offs = [
      call.on('state', refresh),
      call.on('connection', refresh),
      call.on('remote-stream', refresh),
      call.on('remote-media', refresh),
      call.on('local-stream', refresh),
      call.on('remote-screen', refresh),
      call.on('remote-screen-audio', refresh),
    ];
    return () => offs.forEach((off) => off());
  }, [call]);
}

/** Seconds since `since`, ticking once a second (null while not started). */
export function useElapsed(since: number | null): number {
  const [, tick] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (since === null) {
      return;
    }
    const t = setInterval(tick, 1000);
    return () => clearInterval(t);
  }, [since]);
  return since === null ? 0 : Math.floor((Date.now() - since) / 1000);
}
