import { describe, expect, it } from 'vitest';
import { comboLabel, isTypingTarget, matchesCombo, type KeyPress } from './shortcut-keys';
import { activeShortcuts, shortcutFor } from './shortcut-registry';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('matchesCombo', () => {
  it('matches a letter in either case, without modifiers', () => {
    expect(matchesCombo(press('m'), 'M')).toBe(true);
    expect(matchesCombo(press('M'), 'M')).toBe(true);
    expect(matchesCombo(press('n'), 'M')).toBe(false);
  });

  it('refuses a letter pressed with Ctrl, Cmd or Alt (the browser keeps its own)', () => {
    expect(matchesCombo(press('m', { ctrlKey: true }), 'M')).toBe(false);
    expect(matchesCombo(press('m', { metaKey: true }), 'M')).toBe(false);
    expect(matchesCombo(press('m', { altKey: true }), 'M')).toBe(false);
    expect(matchesCombo(press('M', { shiftKey: true }), 'M')).toBe(false);
  });

  it('takes Ctrl or Cmd for Mod, with the Shift it asks for', () => {
    expect(matchesCombo(press('L', { ctrlKey: true, shiftKey: true }), 'Mod+Shift+L')).toBe(true);
    expect(matchesCombo(press('l', { metaKey: true, shiftKey: true }), 'Mod+Shift+L')).toBe(true);
    expect(matchesCombo(press('l', { ctrlKey: true }), 'Mod+Shift+L')).toBe(false);
    expect(matchesCombo(press('l', { shiftKey: true }), 'Mod+Shift+L')).toBe(false);
  });

  it('takes "?" whatever Shift the layout needs for it', () => {
    expect(matchesCombo(press('?', { shiftKey: true }), '?')).toBe(true);
    expect(matchesCombo(press('?'), '?')).toBe(true);
  });

  it('ignores the repeats of a held key', () => {
    expect(matchesCombo(press('m', { repeat: true }), 'M')).toBe(false);
  });
});

describe('isTypingTarget', () => {
  it('is true for text inputs, text areas, selects and editable content', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTypingTarget({ tagName: 'input' })).toBe(true);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
  });

  it('is false for buttons, checkboxes and the page itself', () => {
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BODY' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('the call registry', () => {
  it('runs the action wired to a key and nothing for a key without one', () => {
    const ran: string[] = [];
    const actions = { 'toggle-mic': () => ran.push('mic'), 'raise-hand': () => ran.push('hand') };
    shortcutFor(press('m'), actions)?.();
    shortcutFor(press('h'), actions)?.();
    expect(shortcutFor(press('s'), actions)).toBeUndefined();
    expect(ran).toEqual(['mic', 'hand']);
  });

  it('lists only the shortcuts that have an action, in a stable order', () => {
    const noop = (): void => {};
    expect(activeShortcuts({ leave: noop, 'toggle-mic': noop }).map((s) => s.id)).toEqual([
      'toggle-mic',
      'leave',
    ]);
  });

  it('writes Mod as Ctrl, or ⌘ on a Mac', () => {
    expect(comboLabel('Mod+Shift+L', false)).toEqual(['Ctrl', 'Shift', 'L']);
    expect(comboLabel('Mod+Shift+L', true)).toEqual(['⌘', 'Shift', 'L']);
  });
});
