import { Notice } from '../../ui/Notice';
import type { DeviceEntry } from './device-choice';
import type { DeviceNotice } from './use-devices';

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
  return (
    <Notice
      tone="info"
      testId="device-notice"
      onDismiss={onDismiss}
      actions={
        offer ? (
          <button className="btn btn--primary" onClick={() => onUse(offer)}>
            Use it
          </button>
        ) : undefined
      }
    >
      {notice.text}
    </Notice>
  );
}
