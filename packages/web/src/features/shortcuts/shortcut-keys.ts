/**
 * A key combination as the help dialog writes it and the matcher reads it: modifiers
 * then the key, joined by "+": "M", "?", "Mod+Shift+L". "Mod" is Ctrl, or Cmd on a Mac
 * (either is accepted, so the same list works everywhere).
 */
export type KeyCombo = string;

/** What the matcher needs of a KeyboardEvent (so unit tests need no DOM). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  repeat?: boolean;
}

interface ParsedCombo {
  key: string;
  mod: boolean;
  alt: boolean;
  shift: boolean;
}

function parse(combo: KeyCombo): ParsedCombo {
  const parts = combo.split('+');
  // "+" itself would be the last, empty part: a key of "+" is written "Shift+=" here.
  const key = (parts.pop() ?? '').toLowerCase();
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  return { key, mod: mods.has('mod'), alt: mods.has('alt'), shift: mods.has('shift') };
}

/** Characters typed with Shift on most layouts: their combo does not spell the Shift. */
const SHIFTED_SYMBOLS = new Set(['?', '!', '@', '#', '$', '%', '^', '&', '*', '(', ')']);

/** Whether a key press is this combination (a held key's repeats are not). */
export function matchesCombo(press: KeyPress, combo: KeyCombo): boolean {
  if (press.repeat) {
    return false;
  }
  const want = parse(combo);
  const key = press.key.toLowerCase();
  if (key !== want.key) {
    return false;
  }
  const mod = press.ctrlKey || press.metaKey;
  const shiftMatters = !SHIFTED_SYMBOLS.has(want.key);
  return (
    mod === want.mod &&
    press.altKey === want.alt &&
    (!shiftMatters || press.shiftKey === want.shift)
  );
}

/** Whether keys typed into this element are text, which no shortcut may take. */
export function isTypingTarget(
  el: { tagName?: string; isContentEditable?: boolean; type?: string } | null,
): boolean {
  if (!el || !el.tagName) {
    return false;
  }
  if (el.isContentEditable) {
    return true;
  }
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') {
    return true;
  }
  if (tag !== 'INPUT') {
    return false;
  }
  // Buttons and checkboxes in a form take no text: shortcuts still work on them.
  const nonText = new Set([
    'button',
    'checkbox',
    'radio',
    'range',
    'submit',
    'reset',
    'file',
    'color',
  ]);
  return !nonText.has((el.type ?? 'text').toLowerCase());
}

/** How a combo reads on this platform's keyboard ("Mod" → Ctrl or ⌘). */
export function comboLabel(combo: KeyCombo, mac: boolean): string[] {
  return combo.split('+').map((part) => (part === 'Mod' ? (mac ? '⌘' : 'Ctrl') : part));
}
