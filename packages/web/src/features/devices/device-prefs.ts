/** The three kinds of device a user picks, as enumerateDevices names them. */
export type DeviceKind = 'audioinput' | 'videoinput' | 'audiooutput';

/** A device remembered by id, with its label for when the browser rotates ids. */
export interface SavedDevice {
  id: string;
  label: string;
}

/** What this browser remembers about the user's devices. */
export interface DevicePrefs {
  audioinput?: SavedDevice;
  videoinput?: SavedDevice;
  audiooutput?: SavedDevice;
  /** The user's own noise suppression choice; absent means "the default rule decides". */
  noiseSuppression?: boolean;
}

/** The part of localStorage we use (injectable for tests and private modes). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const PREFS_KEY = 'parley.devices';

function defaultStorage(): StorageLike | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Storage blocked (some private modes throw on access): nothing is remembered.
    return null;
  }
}

function isSaved(value: unknown): value is SavedDevice {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SavedDevice).id === 'string' &&
    typeof (value as SavedDevice).label === 'string'
  );
}

/** Read the remembered choices; anything unreadable or malformed counts as not chosen. */
export function loadPrefs(storage: StorageLike | null = defaultStorage()): DevicePrefs {
  let raw: unknown;
  try {
    raw = JSON.parse(storage?.getItem(PREFS_KEY) ?? '{}');
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null) {
    return {};
  }
  const record = raw as Record<string, unknown>;
  const prefs: DevicePrefs = {};
  for (const kind of ['audioinput', 'videoinput', 'audiooutput'] as const) {
    if (isSaved(record[kind])) {
      prefs[kind] = { id: record[kind].id, label: record[kind].label };
    }
  }
  if (typeof record.noiseSuppression === 'boolean') {
    prefs.noiseSuppression = record.noiseSuppression;
  }
  return prefs;
}

/** Merge `patch` into the remembered choices. A full or blocked storage is ignored. */
export function savePrefs(
  patch: DevicePrefs,
  storage: StorageLike | null = defaultStorage(),
): DevicePrefs {
  const next = { ...loadPrefs(storage), ...patch };
  try {
    storage?.setItem(PREFS_KEY, JSON.stringify(next));
  } catch {
    // Quota or private mode: the choice holds for this page only.
  }
  return next;
}
