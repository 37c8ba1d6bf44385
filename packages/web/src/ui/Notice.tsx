import type { ReactNode } from 'react';
import { Icon } from './Icon';

/** A problem in plain words, with an optional way forward (actions) and a dismiss. */
export function Notice({
  tone = 'warning',
  children,
  actions,
  onDismiss,
  testId,
}: {
  tone?: 'warning' | 'error';
  children: ReactNode;
  actions?: ReactNode;
  onDismiss?: () => void;
  testId?: string;
}) {
  return (
    <div
      className={`notice${tone === 'error' ? ' notice--error' : ''}`}
      role={tone === 'error' ? 'alert' : 'status'}
      data-testid={testId}
    >
      <Icon name="alert" size={18} />
      <div className="notice__body">
        {children}
        {actions ? <div className="notice__actions">{actions}</div> : null}
      </div>
      {onDismiss ? (
        <button className="notice__dismiss" onClick={onDismiss} aria-label="Dismiss">
          <Icon name="close" size={16} />
        </button>
      ) : null}
    </div>
  );
}
