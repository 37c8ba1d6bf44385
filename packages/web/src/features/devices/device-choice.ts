import type { DeviceKind, SavedDevice } from './device-prefs';
import { t } from '../../i18n/i18n';

/** One device as enumerateDevices describes it (the fields we use). */
export interface DeviceEntry {
  deviceId: string;
  kind: DeviceKind | string;
  label: string;
}

/** The devices of one kind, without the "default"/"communications" aliases Chrome adds. */
export function devicesOf(list: readonly DeviceEntry[], kind: DeviceKind): DeviceEntry[] {
  return list.filter(
    (d) => d.kind === kind && d.deviceId !== 'default' && d.deviceId !== 'communications',
  );
}

/**
 * The remembered device if it is plugged in: by id first, then by label (browsers give
 * a device a new id when site data is cleared, and some on every restart).
 */
export function findSaved(
  devices: readonly DeviceEntry[],
  saved: SavedDevice | undefined,
): DeviceEntry | undefined {
  if (!saved) {
    return undefined;
  }
  return (
    devices.find((d) => d.deviceId === saved.id) ??
    (saved.label ? devices.find((d) => d.label === saved.label) : undefined)
  );
}

/** What to do after the device list changed, for one kind. */
export type DeviceChange =
  | { type: 'none' }
  /** The device in use is gone: use `next` (undefined when none is left). */
  | { type: 'lost'; lost: DeviceEntry | undefined; next: DeviceEntry | undefined }
  /** A device appeared that is not the one in use: offer it. */
  | { type: 'added'; added: DeviceEntry };

/**
 * Compare the device lists before and after a `devicechange`, for the device kind whose
 * current device is `inUseId`. Losing the device in use wins over a new arrival (the
 * user must hear about it, and the call needs a device now); the fallback is the
 * remembered device if it is still here, else the first one left (the system default
 * comes first in Chrome's list).
 */
export function diffDevices(
  before: readonly DeviceEntry[],
  after: readonly DeviceEntry[],
  inUseId: string | null,
  saved?: SavedDevice,
): DeviceChange {
  if (inUseId !== null && !after.some((d) => d.deviceId === inUseId)) {
    const lost = before.find((d) => d.deviceId === inUseId);
    return { type: 'lost', lost, next: findSaved(after, saved) ?? after[0] };
  }
  const added = after.find(
    (d) => d.deviceId !== inUseId && !before.some((b) => b.deviceId === d.deviceId),
  );
  // Before permission, labels are empty and ids come and go: nothing worth offering.
  if (added && added.label) {
    return { type: 'added', added };
  }
  return { type: 'none' };
}

/** A name to show for a device; browsers hide labels until the user grants access. */
export function deviceLabel(
  device: DeviceEntry | undefined,
  index: number,
  kind: DeviceKind,
): string {
  if (device?.label) {
    return device.label;
  }
  return t(`devices.numbered.${kind}`, { n: index + 1 });
}
