import type { DeviceChange, DeviceEntry } from './device-choice';
import type { DeviceKind } from './device-prefs';
import { phrase, type Phrase } from '../../i18n/phrase';

/** A change of devices the user should hear about. */
export interface DeviceNotice {
  kind: DeviceKind;
  /** Worded when shown, so that it follows a change of language. */
  text: Phrase;
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
          text: phrase(`devices.switched.${kind}`, {
            label: change.next.label || phrase(`devices.another.${kind}`),
          }),
        }
      : { kind, text: phrase(`devices.lost.${kind}`) };
  }
  if (change.type === 'added') {
    return {
      kind,
      text: phrase(`devices.added.${kind}`, { label: change.added.label }),
      offer: change.added,
    };
  }
  return null;
}
