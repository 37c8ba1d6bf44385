import { useEffect, useRef } from 'react';
import { isTypingTarget } from './shortcut-keys';
import { shortcutFor, type ShortcutActions } from './shortcut-registry';

/**
 * Runs the call's shortcuts on key presses anywhere in the page, except while the user
 * types (chat box, names, any text field) or a dialog of its own has the keyboard.
 * `actions` may change every render; the listener always calls the latest.
 */
export function useShortcuts(actions: ShortcutActions, enabled = true): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    if (!enabled) {
      return;
    }
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || isTypingTarget(e.target as HTMLElement | null)) {
        return;
      }
      const run = shortcutFor(e, latest.current);
      if (run) {
        e.preventDefault();
        run();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
