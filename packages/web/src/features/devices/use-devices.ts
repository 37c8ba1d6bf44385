import { useCallback, useEffect, useRef, useState } from 'react';
import type { LocalKind, LocalMedia } from '../media/local-media';
import { diffDevices, findSaved, type DeviceEntry } from './device-choice';
import { loadPrefs, savePrefs, type DeviceKind } from './device-prefs';
import { noticeOf, type DeviceNotice } from './device-notice';

const KIND_OF: Record<LocalKind, DeviceKind> = { audio: 'audioinput', video: 'videoinput' };

function entries(list: MediaDeviceInfo[]): DeviceEntry[] {
  return list.map((d) => ({ deviceId: d.deviceId, kind: d.kind, label: d.label }));
}

/**
 * The devices of this browser, kept current across `devicechange`, for a LocalMedia:
 * `pick` switches (and remembers) a device; unplugging the one in use switches to
 * another and says so; plugging one in offers it.
 */
export function useDevices(media: LocalMedia): {
  devices: DeviceEntry[];
  pick: (kind: LocalKind, device: DeviceEntry) => Promise<boolean>;
  notice: DeviceNotice | null;
  dismiss: () => void;
} {
  const [devices, setDevices] = useState<DeviceEntry[]>([]);
  const [notice, setNotice] = useState<DeviceNotice | null>(null);
  const known = useRef<DeviceEntry[]>([]);

  const pick = useCallback(
    async (kind: LocalKind, device: DeviceEntry): Promise<boolean> => {
      setNotice(null);
      const ok = await media.setDevice(kind, device.deviceId);
      if (ok) {
        savePrefs({ [KIND_OF[kind]]: { id: device.deviceId, label: device.label } });
      }
      return ok;
    },
    [media],
  );

  useEffect(() => {
    const md = navigator.mediaDevices as MediaDevices | undefined;
    if (!md?.enumerateDevices) {
      return;
    }
    let alive = true;
    const prefs = loadPrefs();

    const react = async (before: DeviceEntry[], after: DeviceEntry[]): Promise<void> => {
      const snapshot = media.getSnapshot();
      for (const kind of ['audio', 'video'] as const) {
        const deviceKind = KIND_OF[kind];
        const state = snapshot[kind];
        // A device that ended (unplugged) keeps its id in the snapshot with no track.
        const inUse = state.track || state.problem === 'missing' ? (state.deviceId ?? null) : null;
        const change = diffDevices(
          before.filter((d) => d.kind === deviceKind),
          after.filter((d) => d.kind === deviceKind),
          inUse,
          prefs[deviceKind],
        );
        if (change.type === 'lost' && change.next) {
          await media.setDevice(kind, change.next.deviceId);
          if (!media.getSnapshot()[kind].track) {
            await media.start({ audio: kind === 'audio', video: kind === 'video' });
          }
        }
        const next = noticeOf(change, deviceKind);
        if (next) {
          setNotice(next);
        }
      }
    };

    const read = async (compare: boolean): Promise<void> => {
      const after = entries(await md.enumerateDevices());
      if (!alive) {
        return;
      }
      const before = known.current;
      known.current = after;
      setDevices(after);
      if (compare) {
        await react(before, after);
      }
    };
    void read(false);
    const onChange = (): void => void read(true);
    md.addEventListener('devicechange', onChange);
    // Labels appear once access is granted: read again when tracks arrive; and a
    // remembered device whose id the browser rotated is found again by its label.
    const offMedia = media.subscribe(() => {
      const s = media.getSnapshot();
      if ((s.audio.track || s.video.track) && known.current.every((d) => !d.label)) {
        void read(false).then(() => {
          for (const kind of ['audio', 'video'] as const) {
            const saved = prefs[KIND_OF[kind]];
            const found = findSaved(
              known.current.filter((d) => d.kind === KIND_OF[kind]),
              saved,
            );
            const current = media.getSnapshot()[kind].deviceId;
            if (found && current && found.deviceId !== current && found.deviceId !== 'default') {
              void media.setDevice(kind, found.deviceId);
            }
          }
        });
      }
    });
    return () => {
      alive = false;
      md.removeEventListener('devicechange', onChange);
      offMedia();
    };
  }, [media]);

  return { devices, pick, notice, dismiss: () => setNotice(null) };
}
