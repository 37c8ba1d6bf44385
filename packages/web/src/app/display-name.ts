/** The display name is remembered on this device so people type it once. */
const KEY = 'parley.displayName';

/** Names are 1–64 characters on the wire (see the protocol's DisplayName). */
export const MAX_NAME_LENGTH = 64;

export function loadDisplayName(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    // Storage can be blocked (private modes, embedded views): the app still works.
    return '';
  }
}

export function saveDisplayName(name: string): void {
  try {
    localStorage.setItem(KEY, name.trim());
  } catch {
    /* see loadDisplayName */
  }
}

/** Trim and drop control characters, which the server would refuse. */
export function cleanDisplayName(raw: string): string {
  const printable = Array.from(raw)
    .filter((c) => {
      const code = c.codePointAt(0) ?? 0;
      return code >= 0x20 && code !== 0x7f;
    })
    .join('');
  return printable.trim().slice(0, MAX_NAME_LENGTH).trim();
}
