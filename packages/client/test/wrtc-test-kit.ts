import wrtc from '@roamhq/wrtc';
import { afterEach } from 'vitest';

/** wrtc's RTCPeerConnection, typed as the browser's. */
export const PC = wrtc.RTCPeerConnection as unknown as typeof RTCPeerConnection;

/**
 * A list of undo steps run after each test of the file, last pushed first: frame sources
 * stop before the connections they feed close (wrtc can crash the process on a frame
 * pushed into a closed connection's track).
 */
export function undoAfterEach(): Array<() => void> {
  const steps: Array<() => void> = [];
  afterEach(() => {
    for (const f of steps.splice(0).reverse()) {
      f();
    }
  });
  return steps;
}
