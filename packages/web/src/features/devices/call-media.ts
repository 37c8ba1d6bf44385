import { loadPrefs } from './device-prefs';

/**
 * getUserMedia for a direct call on the devices this browser remembers; `ideal`, so a
 * device that is unplugged now gives way to another rather than failing the call.
 * Otherwise the browser's defaults, as before (a call of two can afford more than a
 * mesh room's 640x360).
 */
export function rememberedMedia(want: { audio: boolean; video: boolean }): Promise<MediaStream> {
  const prefs = loadPrefs();
  const pick = (id: string | undefined): MediaTrackConstraints | true =>
    id ? { deviceId: { ideal: id } } : true;
  return navigator.mediaDevices.getUserMedia({
    audio: want.audio ? pick(prefs.audioinput?.id) : false,
    video: want.video ? pick(prefs.videoinput?.id) : false,
  });
}
