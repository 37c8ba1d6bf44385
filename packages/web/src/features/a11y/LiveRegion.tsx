import { useEffect, useState } from 'react';
import { announcer } from './announcer';

/**
 * The app's one polite live region, visually hidden. Each announcement replaces the
 * child node (keyed by its id), which screen readers read as new even when the text is
 * the same as the last one.
 */
export function LiveRegion() {
  const [current, setCurrent] = useState<{ text: string; id: number } | null>(null);
  useEffect(() => announcer.subscribe((text, id) => setCurrent({ text, id })), []);
  return (
    <div
      className="visually-hidden"
      role="status"
      aria-live="polite"
      aria-atomic="true"
      data-testid="live-region"
    >
      {current ? <span key={current.id}>{current.text}</span> : null}
    </div>
  );
}
