import { t } from '../../i18n/i18n';

/** Why a camera or microphone is not available, in terms the UI can explain. */
export type MediaProblem =
  /** The user or the browser's settings said no. */
  | 'denied'
  /** There is no such device (or none that fits). */
  | 'missing'
  /** The device exists but another app holds it, or the OS refused it. */
  | 'busy'
  /** The page is not a secure context (http on a LAN address): no media API at all. */
  | 'insecure'
  /** Anything else. */
  | 'failed';

/** Map a getUserMedia rejection to a MediaProblem. */
export function classifyMediaError(err: unknown): MediaProblem {
  const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'missing';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'busy';
    default:
      return 'failed';
  }
}

/** One sentence saying what went wrong with a device and what to do about it. */
export function describeMediaProblem(kind: 'audio' | 'video', problem: MediaProblem): string {
  // One key per device: in French the noun's gender changes the whole sentence.
  return t(`mediaProblem.${problem}.${kind}`);
}
