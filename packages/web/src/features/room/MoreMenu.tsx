import { useEffect, useRef, useState } from 'react';
import { ControlButton } from '../../ui/ControlButton';
import { Icon, type IconName } from '../../ui/Icon';
import { useT } from '../../i18n/i18n';

/** One less-used action of the call (record, keyboard shortcuts, …). */
export interface MoreItem {
  id: string;
  label: string;
  icon: IconName;
  onSelect: () => void;
  /** Shown as on (e.g. recording now). */
  active?: boolean;
  /** Only listed on narrow screens, where its own button is hidden from the bar. */
  narrowOnly?: boolean;
}

/**
 * "More" in the control bar: a small menu of the actions that do not earn a button of
 * their own, so the bar stays one row on a phone. Escape or a click outside closes it.
 */
export function MoreMenu({ items }: { items: MoreItem[] }) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) {
      return;
    }
    const onDown = (e: PointerEvent): void => {
      if (!root.current?.contains(e.target as Node)) {
        setOpen(false);
      }
    };
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        setOpen(false);
      }
    };
    window.addEventListener('pointerdown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('pointerdown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <span className="control-wrap more" ref={root}>
      <ControlButton
        icon="more"
        label={t('room.more')}
        onClick={() => setOpen((o) => !o)}
        pressed={open}
        tone={open ? 'active' : undefined}
        testId="more"
      />
      {/* The dot says a recording runs; actions that moved here from a phone's bar
          (hand, screen) show their state on the tiles instead. */}
      {items.some((i) => i.active && !i.narrowOnly) ? (
        <span className="more__dot" aria-hidden="true" />
      ) : null}
      {open ? (
        <ul className="more__menu" role="menu" data-testid="more-menu">
          {items.map((item) => (
            <li key={item.id} role="none" className={item.narrowOnly ? 'more__narrow-only' : ''}>
              <button
                role="menuitem"
                className={`more__item${item.active ? ' is-active' : ''}`}
                data-testid={`more-${item.id}`}
                onClick={() => {
                  setOpen(false);
                  item.onSelect();
                }}
              >
                <Icon name={item.icon} size={18} />
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </span>
  );
}
