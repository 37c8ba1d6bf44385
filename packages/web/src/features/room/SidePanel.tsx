import type { ReactNode } from 'react';
import { Icon } from '../../ui/Icon';
import { useReturnFocus } from '../a11y/use-return-focus';
import { useT } from '../../i18n/i18n';

/**
 * The call's side area: a column on the right on wide screens, a sheet over the call
 * on phones. One panel is open at a time; features render their content inside.
 */
export function SidePanel({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  useReturnFocus();
  const { t } = useT();
  return (
    <aside className="side-panel" aria-label={title} data-testid="side-panel">
      <header className="side-panel__header">
        <h2 className="side-panel__title">{title}</h2>
        <button
          className="side-panel__close"
          onClick={onClose}
          aria-label={t('room.panel.close', { panel: title })}
        >
          <Icon name="close" size={18} />
        </button>
      </header>
      <div className="side-panel__body">{children}</div>
    </aside>
  );
}
