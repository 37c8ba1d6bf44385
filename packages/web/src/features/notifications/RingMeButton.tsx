import { A11Y_STRINGS } from '../a11y/strings';
import { Icon } from '../../ui/Icon';
import { useNotificationPermission } from './notification-permission';
import './notifications.css';

/**
 * "Ring me when this tab is hidden": asks for the Notifications permission when pressed,
 * then says that the tab will ring (or why it cannot).
 */
export function RingMeButton() {
  const { permission, request } = useNotificationPermission();
  if (permission === 'default') {
    return (
      <button
        type="button"
        className="btn btn--ghost ring-me"
        data-testid="ring-me"
        onClick={() => void request()}
      >
        <Icon name="bell" size={18} /> {A11Y_STRINGS.ringMeButton}
      </button>
    );
  }
  const text =
    permission === 'granted'
      ? A11Y_STRINGS.ringMeOn
      : permission === 'denied'
        ? A11Y_STRINGS.ringMeBlocked
        : A11Y_STRINGS.ringMeUnsupported;
  return (
    <p className="ring-me ring-me--note" data-testid="ring-me" data-permission={permission}>
      {text}
    </p>
  );
}
