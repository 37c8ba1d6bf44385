import { useT } from '../../i18n/i18n';
import { Icon } from '../../ui/Icon';
import { useNotificationPermission } from './notification-permission';
import './notifications.css';

/**
 * "Ring me when this tab is hidden": asks for the Notifications permission when pressed,
 * then says that the tab will ring (or why it cannot).
 */
export function RingMeButton() {
  const { permission, request } = useNotificationPermission();
  const { t } = useT();
  if (permission === 'default') {
    return (
      <button
        type="button"
        className="btn btn--ghost ring-me"
        data-testid="ring-me"
        onClick={() => void request()}
      >
        <Icon name="bell" size={18} /> {t('notify.ringMe')}
      </button>
    );
  }
  const text =
    permission === 'granted'
      ? t('notify.ringMeOn')
      : permission === 'denied'
        ? t('notify.ringMeBlocked')
        : t('notify.ringMeUnsupported');
  return (
    <p className="ring-me ring-me--note" data-testid="ring-me" data-permission={permission}>
      {text}
    </p>
  );
}
