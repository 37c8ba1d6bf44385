import { useEffect, useRef, type ReactNode } from 'react';
import { trapTab } from '../a11y/focus-trap';
import './devices.css';
import { useT } from '../../i18n/i18n';
import { LanguageSwitcher } from '../../ui/LanguageSwitcher';

/** A small modal for the call's device settings; Escape or a click outside closes it. */
export function SettingsDialog({
  onClose,
  children,
}: {
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useT();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const back = document.activeElement;
    box.current?.querySelector<HTMLElement>('select, input, button')?.focus();
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
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
    <div className="settings-backdrop" onClick={onClose}>
      <div
        ref={box}
        className="card settings-dialog"
        role="dialog"
        aria-modal="true"
        aria-label={t('devices.settings')}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={trapTab}
        data-testid="settings-dialog"
      >
        <div className="settings-dialog__head">
          <h2 className="card__title">{t('devices.settings.title')}</h2>
          <button
            className="notice__dismiss"
            onClick={onClose}
            aria-label={t('devices.settings.close')}
          >
            ✕
          </button>
        </div>
        {children}
        <LanguageSwitcher className="lang-switch--field" />
      </div>
    </div>
  );
}
