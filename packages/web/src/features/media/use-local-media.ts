import { useEffect, useState, useSyncExternalStore } from 'react';
import { LocalMedia, type LocalMediaSnapshot } from './local-media';

/** A LocalMedia owned by the calling component: devices are released on unmount. */
export function useLocalMedia(): [LocalMedia, LocalMediaSnapshot] {
  const [media] = useState(() => new LocalMedia());
  useEffect(() => () => media.stop(), [media]);
  const snapshot = useSyncExternalStore(media.subscribe, media.getSnapshot);
  return [media, snapshot];
}
