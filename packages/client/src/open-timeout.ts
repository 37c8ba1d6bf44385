import type { SignalingState } from './signaling-client.js';

/** What an open-counting timeout needs of the signaling: its state and its changes. */
export interface StateSource {
  readonly state: SignalingState;
  on(event: 'state', listener: (state: SignalingState) => void): () => void;
}

/**
 * A timeout that starts counting when the signaling is open (now, or when it opens).
 * A message sent while connecting waits in the outbox behind `hello`; its answer can't
 * come before the socket is up, and `connect()` bounds that wait on its own. Counting
 * the connecting time too would let a slow socket (seen taking most of 10 s on a busy
 * machine) eat a request's whole budget. Returns `cancel`, safe to call more than once.
 */
export function timeoutOnceOpen(
  signaling: StateSource,
  ms: number,
  onTimeout: () => void,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let cancelled = false;
  const arm = (): void => {
    if (!cancelled && timer === undefined) {
      timer = setTimeout(() => {
        cancel();
        onTimeout();
      }, ms);
    }
  };
  const offState = signaling.on('state', (s) => {
    if (s === 'open') {
      arm();
    }
  });
  const cancel = (): void => {
    cancelled = true;
    clearTimeout(timer);
    offState();
  };
  if (signaling.state === 'open') {
    arm();
  }
  return cancel;
}
