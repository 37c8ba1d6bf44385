import { matchesCombo, type KeyCombo, type KeyPress } from './shortcut-keys';
import type { MessageKey } from '../../i18n/i18n';

/** What a shortcut does, in the order the help dialog lists them. */
export type ShortcutId =
  'toggle-mic' | 'toggle-camera' | 'share-screen' | 'toggle-chat' | 'raise-hand' | 'leave' | 'help';

/** The keys of every call shortcut: one place, so the help dialog and the matcher agree. */
export const CALL_SHORTCUTS: ReadonlyArray<{ id: ShortcutId; combo: KeyCombo; label: MessageKey }> =
  [
    { id: 'toggle-mic', combo: 'M', label: 'shortcuts.toggleMic' },
    { id: 'toggle-camera', combo: 'V', label: 'shortcuts.toggleCamera' },
    { id: 'share-screen', combo: 'S', label: 'shortcuts.shareScreen' },
    { id: 'toggle-chat', combo: 'C', label: 'shortcuts.toggleChat' },
    { id: 'raise-hand', combo: 'H', label: 'shortcuts.raiseHand' },
    // Leaving by accident costs the call: a single letter is too easy to hit.
    { id: 'leave', combo: 'Mod+Shift+L', label: 'shortcuts.leave' },
    { id: 'help', combo: '?', label: 'shortcuts.help' },
  ];

/**
 * The actions a call wires to its shortcuts. A feature that is not there (screen sharing
 * before it is built, chat in a page without it) leaves its action out: its key does
 * nothing and the help dialog does not list it.
 */
export type ShortcutActions = Partial<Record<ShortcutId, () => void>>;

/** The shortcuts a call offers now: those with an action. */
export function activeShortcuts(actions: ShortcutActions) {
  return CALL_SHORTCUTS.filter((s) => actions[s.id] !== undefined);
}

/** The action a key press runs, if any. */
export function shortcutFor(press: KeyPress, actions: ShortcutActions): (() => void) | undefined {
  const hit = CALL_SHORTCUTS.find((s) => actions[s.id] && matchesCombo(press, s.combo));
  return hit ? actions[hit.id] : undefined;
}
