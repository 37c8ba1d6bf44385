import { useEffect, useState } from 'react';

/**
 * While mounted, remember what had focus when the component appeared, and give it back
 * when the component goes, if focus would otherwise fall to the page's body (the close
 * button that had it went with the component). Side panels use it: closing one returns
 * a keyboard user to the button that opened it.
 */
export function useReturnFocus(): void {
  // Read while rendering: children's effects (the chat focusing its input) run before
  // this component's own, so an effect would see the input, not the opener.
  const [opener] = useState(() => document.activeElement);
  useEffect(
    () => () => {
      // After React has removed the component's nodes.
      queueMicrotask(() => {
        const lost = document.activeElement === null || document.activeElement === document.body;
        if (lost && opener instanceof HTMLElement && opener.isConnected) {
          opener.focus();
        }
      });
    },
    [opener],
  );
}
