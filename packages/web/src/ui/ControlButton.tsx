import { Icon, type IconName } from './Icon';

/**
 * The round icon button of every call control (room, direct call, pre-join, contact
 * list): the label is its accessible name and tooltip, `pressed` its toggle state.
 */
export function ControlButton({
  icon,
  label,
  title = label,
  onClick,
  pressed,
  tone,
  small,
  warn,
  disabled,
  testId,
}: {
  icon: IconName;
  label: string;
  /** Tooltip, when it should say more than the label. */
  title?: string;
  onClick: () => void;
  pressed?: boolean;
  tone?: 'off' | 'danger' | 'active' | 'hangup';
  small?: boolean;
  warn?: boolean;
  disabled?: boolean;
  testId?: string;
}) {
  const classes = ['control', tone && `control--${tone}`, small && 'control--small'];
  return (
    <button
      className={classes.filter(Boolean).join(' ')}
      onClick={onClick}
      aria-label={label}
      title={title}
      aria-pressed={pressed}
      disabled={disabled}
      data-testid={testId}
    >
      <Icon name={icon} size={small ? 18 : 22} />
      {warn ? <span className="control__warn" aria-hidden="true" /> : null}
    </button>
  );
}
