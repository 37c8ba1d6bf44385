import { useCallback, useEffect, useRef, useState } from 'react';
import type { DirectCall } from '@parley/client';
import type { LocalKind, NoiseSuppressionState } from '../media/local-media';
import { diffDevices, type DeviceEntry } from './device-choice';
import { noticeOf, type DeviceNotice } from './device-notice';
import { loadPrefs, savePrefs, type DeviceKind } from './device-prefs';
import { suppressionByDefault } from './noise-default';
import type { NoiseSuppressor } from './noise-suppressor';

const KIND_OF: Record<LocalKind, DeviceKind> = { audio: 'audioinput', video: 'videoinput' };

/**
 * Devices and noise suppression for a direct call, which owns its tracks itself
 * (DirectCall, not LocalMedia): the raw microphone is kept here, the call sends it or
 * its suppressed copy, and a new device is swapped in with replaceTrack. As in a room
 * (useDevices), unplugging the device in use moves to another and says so, and a
 * device plugged in is offered.
 */
export function useCallDevices(call: DirectCall): {
  devices: DeviceEntry[];
  current: Record<LocalKind, string | null>;
  pick: (kind: LocalKind, device: DeviceEntry) => Promise<void>;
  noiseSuppression: NoiseSuppressionState;
  setNoiseSuppression: (on: boolean) => void;
  notice: DeviceNotice | null;
  dismiss: () => void;
} {
  const [devices, setDevices] = useState<DeviceEntry[]>([]);
  const [notice, setNotice] = useState<DeviceNotice | null>(null);
  const known = useRef<DeviceEntry[]>([]);
  const [ns, setNs] = useState<NoiseSuppressionState>(() => ({
    on: loadPrefs().noiseSuppression ?? suppressionByDefault(),
    state: 'off',
  }));
  const raw = useRef<MediaStreamTrack | null>(call.localMedia.getAudioTracks()[0] ?? null);
  const suppressor = useRef<NoiseSuppressor | null>(null);
  /** The user's suppression wish now (the devicechange handler outlives renders). */
  const wanted = useRef(ns.on);
  const generation = useRef(0);
  const [, bump] = useState(0);

  /** Send the raw mic or a suppressed copy of it, as `on` says. */
  const apply = useCallback(
    async (on: boolean): Promise<void> => {
      wanted.current = on;
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

  /** Send `device` for `kind` from now on (its track replaces the one sent). */
  const switchTo = useCallback(
    async (kind: LocalKind, device: DeviceEntry): Promise<void> => {
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
        if (wanted.current) {
          await apply(true);
        } else {
          await call.replaceTrack('audio', track);
        }
        old?.stop();
      }
      bump((n) => n + 1);
    },
    [call, apply],
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
    const prefs = loadPrefs();
    /** The device list changed: fall back from a device that went, offer a new one. */
    const react = async (before: DeviceEntry[], after: DeviceEntry[]): Promise<void> => {
      for (const kind of ['audio', 'video'] as const) {
        const track = kind === 'audio' ? raw.current : call.localMedia.getVideoTracks()[0];
        const change = diffDevices(
          before.filter((d) => d.kind === KIND_OF[kind]),
          after.filter((d) => d.kind === KIND_OF[kind]),
          track?.getSettings().deviceId ?? null,
          prefs[KIND_OF[kind]],
        );
        if (change.type === 'lost' && change.next) {
          await switchTo(kind, change.next).catch((err: unknown) =>
            console.warn('parley: no fallback device', err),
          );
        }
        const next = noticeOf(change, KIND_OF[kind]);
        if (next) {
          setNotice(next);
        }
      }
    };
    let alive = true;
    const read = async (compare: boolean): Promise<void> => {
      const after = ((await md?.enumerateDevices()) ?? []).map((d) => ({
        deviceId: d.deviceId,
        kind: d.kind,
        label: d.label,
      }));
      if (!alive) {
        return;
      }
      const before = known.current;
      known.current = after;
      setDevices(after);
      if (compare && call.state !== 'ended') {
        await react(before, after);
      }
    };
    void read(false);
    const onChange = (): void => void read(true);
    md?.addEventListener('devicechange', onChange);
    return () => {
      alive = false;
      off();
      md?.removeEventListener('devicechange', onChange);
      release();
    };
    // Once per call (ns.on is the starting wish); later toggles use setNoiseSuppression.
  }, [call]);

  const pick = async (kind: LocalKind, device: DeviceEntry): Promise<void> => {
    setNotice(null);
    savePrefs({ [KIND_OF[kind]]: { id: device.deviceId, label: device.label } });
    await switchTo(kind, device);
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
      // The switch shows the choice at once, as LocalMedia's does in rooms; its state
      // follows once the track is switched (a controlled checkbox left as it was until
      // then looked as if the click was ignored, and a test's uncheck failed on it).
      setNs((s) => ({ ...s, on }));
      void apply(on);
    },
    notice,
    dismiss: () => setNotice(null),
  };
}
