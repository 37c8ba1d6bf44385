import type { ReactNode } from 'react';
import { Icon } from './Icon';
import { useT } from '../i18n/i18n';

/**
 * A problem in plain words, with an optional way forward (actions) and a dismiss; `info`
 * for news that is not a problem (what you have in common with a new match).
 */
export function Notice({
  tone = 'warning',
  children,
  actions,
  onDismiss,
  testId,
}: {
  tone?: 'warning' | 'error' | 'info';
  children: ReactNode;
  actions?: ReactNode;
  onDismiss?: () => void;
  testId?: string;
}) {
  const { t } = useT();
  return (
    <div
      className={`notice${tone === 'warning' ? '' : ` notice--${tone}`}`}
      role={tone === 'error' ? 'alert' : 'status'}
      data-testid={testId}
    >
      <Icon name={tone === 'info' ? 'info' : 'alert'} size={18} />
      <div className="notice__body">
        {children}
        {actions ? <div className="notice__actions">{actions}</div> : null}
      </div>
      {onDismiss ? (
        <button className="notice__dismiss" onClick={onDismiss} aria-label={t('common.dismiss')}>
          <Icon name="close" size={16} />
        </button>
      ) : null}
    </div>
  );
}
