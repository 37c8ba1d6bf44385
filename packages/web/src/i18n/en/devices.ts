import type { Messages } from '../translate';

/** Cameras, microphones, speakers: pickers, notices, the mic test, device problems. */
export const devices = {
  'devices.settings': 'Audio and video settings',
  'devices.settings.title': 'Audio and video',
  'devices.settings.close': 'Close settings',
  'devices.kind.audioinput': 'Microphone',
  'devices.kind.videoinput': 'Camera',
  'devices.kind.audiooutput': 'Speaker',
  'devices.none.audioinput': 'No microphone found',
  'devices.none.videoinput': 'No camera found',
  'devices.none.audiooutput': 'No speaker found',
  'devices.numbered.audioinput': 'Microphone {n}',
  'devices.numbered.videoinput': 'Camera {n}',
  'devices.numbered.audiooutput': 'Speaker {n}',
  'devices.default': 'Default',
  'devices.noise': 'Noise suppression',
  'devices.noise.hint': '{state}: removes fans, typing and street noise from your microphone.',
  'devices.noise.off': 'Off',
  'devices.noise.on': 'On',
  'devices.noise.starting': 'Starting…',
  'devices.noise.failed': 'Could not start in this browser',
  'devices.micTest': 'Test your mic',
  'devices.micTest.recording': 'Recording…',
  'devices.micTest.playing': 'Playing back…',
  'devices.micTest.say': 'Say something: you will hear it in {seconds} seconds.',
  'devices.micTest.unsupported': 'This browser cannot record a test.',
  'devices.micLevel': 'Microphone level',
  'devices.useIt': 'Use it',
  'devices.lost.audioinput': 'Your microphone was disconnected.',
  'devices.lost.videoinput': 'Your camera was disconnected.',
  'devices.lost.audiooutput': 'Your speaker was disconnected.',
  'devices.switched.audioinput': 'Your microphone was disconnected; using {label} now.',
  'devices.switched.videoinput': 'Your camera was disconnected; using {label} now.',
  'devices.switched.audiooutput': 'Your speaker was disconnected; using {label} now.',
  'devices.another.audioinput': 'another microphone',
  'devices.another.videoinput': 'another camera',
  'devices.another.audiooutput': 'another speaker',
  'devices.added.audioinput': 'A new microphone is available: {label}.',
  'devices.added.videoinput': 'A new camera is available: {label}.',
  'devices.added.audiooutput': 'A new speaker is available: {label}.',
  'mediaProblem.denied.audio':
    'Your browser blocked the microphone. Allow it for this site (the icon in the address bar), then turn it on again.',
  'mediaProblem.denied.video':
    'Your browser blocked the camera. Allow it for this site (the icon in the address bar), then turn it on again.',
  'mediaProblem.missing.audio': 'No microphone was found. Plug one in, then turn it on again.',
  'mediaProblem.missing.video': 'No camera was found. Plug one in, then turn it on again.',
  'mediaProblem.busy.audio':
    'Your microphone is in use by another app or could not start. Close the other app, then turn it on again.',
  'mediaProblem.busy.video':
    'Your camera is in use by another app or could not start. Close the other app, then turn it on again.',
  'mediaProblem.insecure.audio':
    'The microphone needs a secure connection. Open Parley over https (or on localhost).',
  'mediaProblem.insecure.video':
    'The camera needs a secure connection. Open Parley over https (or on localhost).',
  'mediaProblem.failed.audio': 'The microphone could not start. Try turning it on again.',
  'mediaProblem.failed.video': 'The camera could not start. Try turning it on again.',
} satisfies Messages;
