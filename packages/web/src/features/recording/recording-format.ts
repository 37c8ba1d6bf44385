/**
 * WebM types in order of preference. VP8 first: software VP9 at 720p took so much CPU on
 * a two-core machine in a call that the recorder dropped most frames (19 frames in 5 s),
 * and the call itself needs that CPU; VP8 is cheaper to encode and plays everywhere.
 */
export const RECORDING_TYPES = [
  'video/webm;codecs=vp8,opus',
  'video/webm;codecs=vp9,opus',
  'video/webm',
] as const;

/** The first type the browser's MediaRecorder supports, or null when none is. */
export function pickRecordingType(isTypeSupported: (type: string) => boolean): string | null {
  return RECORDING_TYPES.find((t) => isTypeSupported(t)) ?? null;
}

/** "parley-<room>-2026-11-27-1705.webm", in local time: what the user sees on their clock. */
export function recordingFileName(room: string, at: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const day = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  const safeRoom = room.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 64) || 'call';
  return `parley-${safeRoom}-${day}-${pad(at.getHours())}${pad(at.getMinutes())}.webm`;
}
