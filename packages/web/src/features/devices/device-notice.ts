import type { DeviceChange, DeviceEntry } from './device-choice';
import type { DeviceKind } from './device-prefs';
import { t } from '../../i18n/i18n';

/** A change of devices the user should hear about. */
export interface DeviceNotice {
  kind: DeviceKind;
  text: string;
  /** A newly plugged device to offer ("Use it"). */
  offer?: DeviceEntry;
}

/**
 * What to tell the user about a change of devices of one kind (rooms and direct calls
 * alike): the device in use is gone (and what is used now), or a new one is offered.
 */
export function noticeOf(change: DeviceChange, kind: DeviceKind): DeviceNotice | null {
  if (change.type === 'lost') {
    return change.next
      ? {
          kind,
          text: t(`devices.switched.${kind}`, {
            label: change.next.label || t(`devices.another.${kind}`),
          }),
        }
      : { kind, text: t(`devices.lost.${kind}`) };
  }
  if (change.type === 'added') {
    return {
      kind,
      text: t(`devices.added.${kind}`, { label: change.added.label }),
      offer: change.added,
    };
  }
  return null;
}
