import { Notice } from '../../ui/Notice';
import type { DeviceEntry } from './device-choice';
import type { DeviceNotice } from './device-notice';
import { useT } from '../../i18n/i18n';

/** "Your microphone was disconnected; using … now", or a new device with "Use it". */
export function DeviceNoticeView({
  notice,
  onUse,
  onDismiss,
}: {
  notice: DeviceNotice | null;
  onUse: (device: DeviceEntry) => void;
  onDismiss: () => void;
}) {
  if (!notice) {
    return null;
  }
  const offer = notice.offer;
  const { t } = useT();
  return (
    <Notice
      tone="info"
      testId="device-notice"
      onDismiss={onDismiss}
      actions={
        offer ? (
          <button className="btn btn--primary" onClick={() => onUse(offer)}>
            {t('devices.useIt')}
          </button>
        ) : undefined
      }
    >
      {notice.text}
    </Notice>
  );
}
