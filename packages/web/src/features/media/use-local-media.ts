import { useEffect, useState, useSyncExternalStore } from 'react';
import type { GrantedMedia } from './granted-media';
import { LocalMedia, type LocalMediaSnapshot } from './local-media';
import { loadPrefs } from '../devices/device-prefs';
import { suppressionByDefault } from '../devices/noise-default';

/**
 * A LocalMedia owned by the calling component: devices are released on unmount. It
 * starts on the devices and noise suppression choice this browser remembers, holding
 * `granted` devices from the first render if there are any.
 */
export function useLocalMedia(granted?: GrantedMedia): [LocalMedia, LocalMediaSnapshot] {
  const [media] = useState(() => {
    const prefs = loadPrefs();
    return new LocalMedia(navigator.mediaDevices, {
      deviceIds: {
        ...(prefs.audioinput ? { audio: prefs.audioinput.id } : {}),
        ...(prefs.videoinput ? { video: prefs.videoinput.id } : {}),
      },
      noiseSuppression: prefs.noiseSuppression ?? suppressionByDefault(),
      ...(granted ? { granted } : {}),
    });
  });
  useEffect(() => {
    media.activate();
    return () => media.stop();
  }, [media]);
  const snapshot = useSyncExternalStore(media.subscribe, media.getSnapshot);
  return [media, snapshot];
}
