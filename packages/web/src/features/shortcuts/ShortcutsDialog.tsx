import { useEffect, useRef } from 'react';
import { comboLabel } from './shortcut-keys';
import { activeShortcuts, type ShortcutActions } from './shortcut-registry';
import { trapTab } from '../a11y/focus-trap';
import './shortcuts.css';
import { useT } from '../../i18n/i18n';

const MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** The list of keyboard shortcuts the call offers now ("?" or the More menu opens it). */
export function ShortcutsDialog({
  actions,
  onClose,
}: {
  actions: ShortcutActions;
  onClose: () => void;
}) {
  const { t } = useT();
  const close = useRef<HTMLButtonElement>(null);
  const opener = useRef<Element | null>(document.activeElement);
  useEffect(() => {
    close.current?.focus();
    const back = opener.current;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      if (back instanceof HTMLElement) {
        back.focus();
      }
    };
  }, [onClose]);

  return (
    <div className="shortcuts-backdrop" onClick={onClose}>
      <div
        className="card shortcuts"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={trapTab}
        data-testid="shortcuts-dialog"
      >
        <h2 className="card__title" id="shortcuts-title">
          {t('shortcuts.title')}
        </h2>
        <table className="shortcuts__table">
          <tbody>
            {activeShortcuts(actions).map((s) => (
              <tr key={s.id} data-shortcut={s.id}>
                <td className="shortcuts__keys">
                  {comboLabel(s.combo, MAC).map((k) => (
                    <kbd key={k}>{k}</kbd>
                  ))}
                </td>
                <td>{t(s.label)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="shortcuts__note">{t('shortcuts.note')}</p>
        <button ref={close} className="btn btn--primary shortcuts__close" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </div>
  );
}
