import { useCallback, useEffect, useRef, useState } from 'react';
import type { DirectCall } from '@parley/client';
import type { LocalKind, NoiseSuppressionState } from '../media/local-media';
import type { DeviceEntry } from './device-choice';
import { loadPrefs, savePrefs } from './device-prefs';
import { suppressionByDefault } from './noise-default';
import type { NoiseSuppressor } from './noise-suppressor';

/**
 * Devices and noise suppression for a direct call, which owns its tracks itself
 * (DirectCall, not LocalMedia): the raw microphone is kept here, the call sends it or
 * its suppressed copy, and a new device is swapped in with replaceTrack.
 */
export function useCallDevices(call: DirectCall): {
  devices: DeviceEntry[];
  current: Record<LocalKind, string | null>;
  pick: (kind: LocalKind, device: DeviceEntry) => Promise<void>;
  noiseSuppression: NoiseSuppressionState;
  setNoiseSuppression: (on: boolean) => void;
} {
  const [devices, setDevices] = useState<DeviceEntry[]>([]);
  const [ns, setNs] = useState<NoiseSuppressionState>(() => ({
    on: loadPrefs().noiseSuppression ?? suppressionByDefault(),
    state: 'off',
  }));
  const raw = useRef<MediaStreamTrack | null>(call.localMedia.getAudioTracks()[0] ?? null);
  const suppressor = useRef<NoiseSuppressor | null>(null);
  const generation = useRef(0);
  const [, bump] = useState(0);

  /** Send the raw mic or a suppressed copy of it, as `on` says. */
  const apply = useCallback(
    async (on: boolean): Promise<void> => {
      const mine = ++generation.current;
      const mic = raw.current;
      const old = suppressor.current;
      suppressor.current = null;
      if (!on || !mic) {
        if (mic && old) {
          await call.replaceTrack('audio', mic);
        }
        old?.close();
        setNs({ on, state: 'off' });
        return;
      }
      setNs({ on, state: 'starting' });
      try {
        // Loaded on first use (see LocalMedia.applySuppression).
        const { NoiseSuppressor } = await import('./noise-suppressor');
        const next = await NoiseSuppressor.create(mic);
        if (mine !== generation.current || call.state === 'ended') {
          next.close();
          return;
        }
        suppressor.current = next;
        await call.replaceTrack('audio', next.track);
        old?.close();
        setNs({ on, state: 'running' });
      } catch (err) {
        console.warn('parley: noise suppression could not start', err);
        if (old && mic) {
          await call.replaceTrack('audio', mic);
          old.close();
        }
        setNs({ on, state: 'failed' });
      }
    },
    [call],
  );

  useEffect(() => {
    void apply(ns.on);
    const release = (): void => {
      generation.current++;
      suppressor.current?.close();
      suppressor.current = null;
      raw.current?.stop();
    };
    const off = call.on('state', (state) => {
      if (state === 'ended') {
        release();
      }
    });
    const md = navigator.mediaDevices as MediaDevices | undefined;
    const read = (): void => {
      void md
        ?.enumerateDevices()
        .then((list) =>
          setDevices(list.map((d) => ({ deviceId: d.deviceId, kind: d.kind, label: d.label }))),
        );
    };
    read();
    md?.addEventListener('devicechange', read);
    return () => {
      off();
      md?.removeEventListener('devicechange', read);
      release();
    };
    // Once per call (ns.on is the starting wish); later toggles use setNoiseSuppression.
  }, [call]);

  const pick = async (kind: LocalKind, device: DeviceEntry): Promise<void> => {
    savePrefs({
      [kind === 'audio' ? 'audioinput' : 'videoinput']: {
        id: device.deviceId,
        label: device.label,
      },
    });
    if (kind === 'video' && !call.local.video) {
      return;
    }
    const stream = await navigator.mediaDevices.getUserMedia({
      [kind]: { deviceId: { exact: device.deviceId } },
    });
    const track = stream.getTracks()[0];
    if (!track) {
      return;
    }
    if (kind === 'video') {
      const old = call.localMedia.getVideoTracks()[0];
      await call.replaceTrack('video', track);
      old?.stop();
    } else {
      const old = raw.current;
      raw.current = track;
      if (ns.on) {
        await apply(true);
      } else {
        await call.replaceTrack('audio', track);
      }
      old?.stop();
    }
    bump((n) => n + 1);
  };

  const settings = (track: MediaStreamTrack | null | undefined): string | null =>
    track?.getSettings().deviceId ?? null;
  return {
    devices,
    current: { audio: settings(raw.current), video: settings(call.localMedia.getVideoTracks()[0]) },
    pick,
    noiseSuppression: ns,
    setNoiseSuppression: (on) => {
      savePrefs({ noiseSuppression: on });
      void apply(on);
    },
  };
}
