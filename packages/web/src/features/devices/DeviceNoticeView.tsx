import { Notice } from '../../ui/Notice';
import type { DeviceEntry } from './device-choice';
import type { DeviceNotice } from './device-notice';
import { useT } from '../../i18n/i18n';
import { say } from '../../i18n/phrase';

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
  // Before the early return: a hook runs on every render.
  const i18n = useT();
  if (!notice) {
    return null;
  }
  const offer = notice.offer;
  return (
    <Notice
      tone="info"
      testId="device-notice"
      onDismiss={onDismiss}
      actions={
        offer ? (
          <button className="btn btn--primary" onClick={() => onUse(offer)}>
            {i18n.t('devices.useIt')}
          </button>
        ) : undefined
      }
    >
      {say(notice.text, i18n)}
    </Notice>
  );
}
