/**
 * What we ask the camera and microphone for (shared by LocalMedia and the early start).
 * Mesh sends one copy of our video to every participant, so we ask for a modest size:
 * 640x360 keeps a six-person room within a home uplink and a laptop's encoder.
 */
export const VIDEO_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 640 },
  height: { ideal: 360 },
  frameRate: { ideal: 24, max: 30 },
};
export const AUDIO_CONSTRAINTS: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};
