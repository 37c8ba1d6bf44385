import { useSyncExternalStore } from 'react';
import { loadPrefs } from './device-prefs';

/**
 * The speaker every call's audio plays on (HTMLMediaElement.setSinkId). One per page:
 * all remote audio elements follow it. '' is the system default.
 */
let sinkId = loadPrefs().audiooutput?.id ?? '';
const listeners = new Set<() => void>();

/** Whether this browser can choose where audio plays (Chromium yes; Safari, Firefox on phones no). */
export const canChooseSpeaker =
  typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

export function setSpeaker(id: string): void {
  sinkId = id;
  for (const listener of [...listeners]) {
    listener();
  }
}

export function useSpeakerId(): string {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => sinkId,
  );
}
