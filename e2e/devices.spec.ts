import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from './env';
import { expect, expectPeople, roomLink, test, tileOf } from './fixtures/parley';
import { recordSignaling, type SignalingLog } from './fixtures/signaling-log';

/**
 * The fake microphone plays white noise (generated here, looped by Chromium) so noise
 * suppression has something to remove. Chromium's fake capture has one camera that
 * WebRTC can send (its `device-count=2` second camera is Y16, which the encoder drops),
 * so a second camera is plugged in by the page: a canvas painted blue, listed by
 * enumerateDevices and opened by getUserMedia for its id (virtualCamera below). The app
 * picks it through the same path as any camera; the other side's decoded pixels tell
 * which camera is on the wire.
 */
const NOISE_WAV = fileURLToPath(
  new URL('../test-results/devices-white-noise.wav', import.meta.url),
);
writeWhiteNoise(NOISE_WAV, 2, 0.5);

// NOISE_NOTE. RNNoise in an AudioWorklet on two loaded cores removes far less of the
// noise than on a quiet machine (0.004 of 0.09 RMS quiet; 0.019, 0.056 of 0.092, 0.075 of
// 0.100, 0.086 of 0.122 in CI runs here), and the level sent varies by 10-15 % from one
// second to the next, so a level bound failed both attempts of a run at 1/4 and again at
// 9/10. The test asserts that the suppressor is what is sent (an AudioWorkletNode in the
// graph, the sender's track switched to its output and back) and reports the level; the
// bench (`--only noise-suppression`) measures the suppression. One retry, reported as
// "flaky" in the summary.
test.describe.configure({ retries: 1 });

test.use({
  launchOptions: {
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${NOISE_WAV}`],
  },
});

test('cameras switch, unplug and plug in, and noise suppression toggles, without a new offer', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer();
  const ada = await newPerson();
  await ada.context().addInitScript(virtualCamera);
  const grace = await newPerson();
  const adaLog = recordSignaling(ada);
  const graceLog = recordSignaling(grace);
  await ada.goto(roomLink(server, 'devices', 'Ada'));
  await grace.goto(roomLink(server, 'devices', 'Grace'));
  await expectPeople(ada, ['Ada', 'Grace']);
  await expectPeople(grace, ['Ada', 'Grace']);

  // Grace decodes Ada's fake camera: green.
  const adaVideo = tileOf(grace, 'Ada').locator('video');
  await expect.poll(() => dominant(adaVideo), { timeout: 20_000 }).toBe('green');
  const offers = offerCount(adaLog) + offerCount(graceLog);

  // A camera is plugged in: Ada is told, and picks it in the call's settings.
  await ada.evaluate(() => (window as unknown as VirtualCameraHooks).__virtualCamera.plug());
  await expect(ada.getByTestId('device-notice')).toContainText(
    'A new camera is available: Blue test camera.',
  );
  await ada.getByTestId('open-settings').click();
  const dialog = ada.getByTestId('settings-dialog');
  const cameraSelect = dialog.getByTestId('device-videoinput');
  await expect(cameraSelect.locator('option')).toHaveText(['fake_device_0', 'Blue test camera']);
  await cameraSelect.selectOption({ label: 'Blue test camera' });
  // What Grace decodes turns blue: the new camera's frames, on the same connection.
  await expect.poll(() => dominant(adaVideo), { timeout: 20_000 }).toBe('blue');
  await expect(cameraSelect).toHaveValue('virtual-camera');
  expect(await ada.evaluate(() => localStorage.getItem('parley.devices'))).toContain(
    '"videoinput":{"id":"virtual-camera","label":"Blue test camera"}',
  );

  // Noise suppression (off by default on this two-core machine) on: an AudioWorkletNode
  // runs RNNoise and what Ada sends is its output; off again: the microphone itself.
  const toggle = dialog.getByTestId('noise-suppression');
  await expect(toggle).not.toBeChecked();
  const micLabel = await sentAudioLabel(ada);
  expect(micLabel).not.toBeNull();
  const noisy = await sentAudioRms(ada);
  await toggle.check();
  await expect(toggle).toHaveAttribute('data-state', 'running');
  expect(
    await ada.evaluate(() =>
      [
        ...(window as unknown as { __parleyNoiseSuppressors: Set<{ node: AudioNode }> })
          .__parleyNoiseSuppressors,
      ].map((s) => s.node instanceof AudioWorkletNode),
    ),
  ).toEqual([true]);
  await expect.poll(() => sentAudioLabel(ada), { timeout: 10_000 }).not.toBe(micLabel);
  const suppressed = await sentAudioRms(ada);
  await toggle.uncheck();
  await expect(toggle).toHaveAttribute('data-state', 'off');
  await expect.poll(() => sentAudioLabel(ada), { timeout: 10_000 }).toBe(micLabel);
  // The level is reported, not asserted: see NOISE_NOTE above.
  console.log(`sent noise RMS: suppression off ${noisy.toFixed(4)}, on ${suppressed.toFixed(4)}`);
  test.info().annotations.push({
    type: 'noise RMS',
    description: `off ${noisy.toFixed(4)}, on ${suppressed.toFixed(4)}`,
  });
  await dialog.getByRole('button', { name: 'Close settings' }).click();

  // The blue camera is unplugged: Ada is told, and is back on the other camera.
  await ada.evaluate(() => (window as unknown as VirtualCameraHooks).__virtualCamera.unplug());
  await expect(ada.getByTestId('device-notice')).toContainText(
    'Your camera was disconnected; using fake_device_0 now.',
  );
  await expect.poll(() => dominant(adaVideo), { timeout: 20_000 }).toBe('green');

  // Plugged in again: "Use it" switches to it.
  await ada.evaluate(() => (window as unknown as VirtualCameraHooks).__virtualCamera.plug());
  await ada.getByTestId('device-notice').getByRole('button', { name: 'Use it' }).click();
  await expect.poll(() => dominant(adaVideo), { timeout: 20_000 }).toBe('blue');

  // No renegotiation through all of it.
  expect(offerCount(adaLog) + offerCount(graceLog)).toBe(offers);
});

test('a microphone switch and unplug reach the other side without a new offer', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(120_000);
  const server = await startServer();
  const ada = await newPerson();
  await ada.context().addInitScript(virtualMicrophone);
  const grace = await newPerson();
  const adaLog = recordSignaling(ada);
  const graceLog = recordSignaling(grace);
  await ada.goto(roomLink(server, 'microphones', 'Ada'));
  await grace.goto(roomLink(server, 'microphones', 'Grace'));
  await expectPeople(ada, ['Ada', 'Grace']);
  await expectPeople(grace, ['Ada', 'Grace']);

  // Ada's fake microphone plays white noise; Grace hears it.
  await expect.poll(() => receivedAudioRms(grace), { timeout: 20_000 }).toBeGreaterThan(0.02);
  const noisy = await sentAudioRms(ada);
  const heard = await receivedAudioRms(grace);
  const offers = offerCount(adaLog) + offerCount(graceLog);

  // A silent microphone is plugged in; Ada picks it in the call's settings.
  await ada.evaluate(() => (window as unknown as VirtualMicHooks).__virtualMic.plug());
  await expect(ada.getByTestId('device-notice')).toContainText(
    'A new microphone is available: Silent test microphone.',
  );
  await ada.getByTestId('open-settings').click();
  const dialog = ada.getByTestId('settings-dialog');
  const micSelect = dialog.getByTestId('device-audioinput');
  await micSelect.selectOption({ label: 'Silent test microphone' });
  // What Ada sends and what Grace hears fall silent: the new microphone is on the wire.
  await expect.poll(() => sentAudioRms(ada), { timeout: 10_000 }).toBeLessThan(noisy / 10);
  await expect.poll(() => receivedAudioRms(grace), { timeout: 10_000 }).toBeLessThan(heard / 10);
  expect(await ada.evaluate(() => localStorage.getItem('parley.devices'))).toContain(
    '"audioinput":{"id":"virtual-mic","label":"Silent test microphone"}',
  );

  await dialog.getByRole('button', { name: 'Close settings' }).click();

  // The silent microphone is unplugged: Ada is told, and the noise is back for Grace.
  await ada.evaluate(() => (window as unknown as VirtualMicHooks).__virtualMic.unplug());
  await expect(ada.getByTestId('device-notice')).toContainText(
    'Your microphone was disconnected; using',
  );
  await expect.poll(() => receivedAudioRms(grace), { timeout: 10_000 }).toBeGreaterThan(heard / 2);

  // No renegotiation through all of it.
  expect(offerCount(adaLog) + offerCount(graceLog)).toBe(offers);
});

test('the pre-join mic test records what the microphone picks up and plays it back', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer();
  const ada = await newPerson();
  await ada.context().addInitScript(virtualMicrophone);
  await ada.goto(`${server.url}/r/mic-test-room`);
  const micTest = ada.getByTestId('mic-test');
  await micTest.getByTestId('mic-test-start').click();
  await expect(micTest).toHaveAttribute('data-state', 'recording');
  await expect(micTest.getByTestId('mic-test-start')).toHaveText('Recording…');
  await expect(micTest).toHaveAttribute('data-state', 'playing', { timeout: 10_000 });
  // What it plays is the recording of those three seconds: a WebM of some size.
  await expect
    .poll(() => ada.evaluate(() => (window as unknown as VirtualMicHooks).__micTestPlayed?.bytes))
    .toBeGreaterThan(1000);
  await expect(micTest).toHaveAttribute('data-state', 'idle', { timeout: 15_000 });
});

interface VirtualMicHooks {
  __virtualMic: { plug(): void; unplug(): void };
  /** What the mic test last played: the size of the recording it played back. */
  __micTestPlayed?: { bytes: number };
}

/**
 * Runs in Ada's page before the app: a second microphone that can be plugged and
 * unplugged, like virtualCamera. Its track is silence from WebAudio (a constant source
 * at 0 into a MediaStreamDestination), so what reaches the other side tells which
 * microphone is on the wire: the fake one plays white noise. Blobs made into URLs (the
 * mic test's recording, played back) report their size.
 */
function virtualMicrophone(): void {
  const ID = 'virtual-mic';
  const md = navigator.mediaDevices;
  const enumerate = md.enumerateDevices.bind(md);
  const getUserMedia = md.getUserMedia.bind(md);
  let plugged = false;
  const tracks: MediaStreamTrack[] = [];
  const hooks = window as unknown as VirtualMicHooks;
  hooks.__virtualMic = {
    plug() {
      plugged = true;
      md.dispatchEvent(new Event('devicechange'));
    },
    unplug() {
      plugged = false;
      for (const t of tracks.splice(0)) {
        t.stop();
        t.dispatchEvent(new Event('ended'));
      }
      md.dispatchEvent(new Event('devicechange'));
    },
  };
  md.enumerateDevices = async () => {
    const list = await enumerate();
    const mic = { deviceId: ID, groupId: ID, kind: 'audioinput', label: 'Silent test microphone' };
    return plugged ? [...list, { ...mic, toJSON: () => mic } as MediaDeviceInfo] : list;
  };
  md.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    const audio = constraints?.audio;
    const id = typeof audio === 'object' ? audio.deviceId : undefined;
    const wanted =
      id === ID ||
      (typeof id === 'object' && !Array.isArray(id) && (id.exact === ID || id.ideal === ID));
    if (!plugged || !wanted) {
      return getUserMedia(constraints);
    }
    const ctx = new AudioContext();
    const source = ctx.createConstantSource();
    source.offset.value = 0;
    const sink = ctx.createMediaStreamDestination();
    source.connect(sink);
    source.start();
    const track = sink.stream.getAudioTracks()[0] as MediaStreamTrack;
    const settings = track.getSettings.bind(track);
    track.getSettings = () => ({ ...settings(), deviceId: ID });
    tracks.push(track);
    const stream = new MediaStream([track]);
    if (constraints?.video) {
      for (const t of (await getUserMedia({ video: constraints.video })).getVideoTracks()) {
        stream.addTrack(t);
      }
    }
    return stream;
  };
  // The mic test hands its recording to an Audio element as a blob URL: note its size.
  const createObjectURL = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (obj: Blob | MediaSource) => {
    if (obj instanceof Blob) {
      hooks.__micTestPlayed = { bytes: obj.size };
    }
    return createObjectURL(obj);
  };
}

interface VirtualCameraHooks {
  __virtualCamera: { plug(): void; unplug(): void };
}

/**
 * Runs in Ada's page before the app: a second camera that can be plugged and
 * unplugged. enumerateDevices lists it while plugged; getUserMedia for its id returns a
 * canvas painted blue (with a moving square, so the encoder has frames to send);
 * unplugging ends its tracks and fires `devicechange`, as a real unplug does.
 */
function virtualCamera(): void {
  const ID = 'virtual-camera';
  const md = navigator.mediaDevices;
  const enumerate = md.enumerateDevices.bind(md);
  const getUserMedia = md.getUserMedia.bind(md);
  let plugged = false;
  const tracks: MediaStreamTrack[] = [];
  (window as unknown as VirtualCameraHooks).__virtualCamera = {
    plug() {
      plugged = true;
      md.dispatchEvent(new Event('devicechange'));
    },
    unplug() {
      plugged = false;
      for (const t of tracks.splice(0)) {
        t.stop();
        t.dispatchEvent(new Event('ended'));
      }
      md.dispatchEvent(new Event('devicechange'));
    },
  };
  md.enumerateDevices = async () => {
    const list = await enumerate();
    const camera = { deviceId: ID, groupId: ID, kind: 'videoinput', label: 'Blue test camera' };
    return plugged ? [...list, { ...camera, toJSON: () => camera } as MediaDeviceInfo] : list;
  };
  md.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    const video = constraints?.video;
    const id = typeof video === 'object' ? video.deviceId : undefined;
    const wanted =
      id === ID ||
      (typeof id === 'object' && !Array.isArray(id) && (id.exact === ID || id.ideal === ID));
    if (!plugged || !wanted) {
      return getUserMedia(constraints);
    }
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 360;
    const g = canvas.getContext('2d') as CanvasRenderingContext2D;
    let n = 0;
    setInterval(() => {
      g.fillStyle = '#1040e0';
      g.fillRect(0, 0, 640, 360);
      g.fillStyle = '#ffffff';
      g.fillRect((n++ * 8) % 600, 160, 40, 40);
    }, 50);
    const track = canvas.captureStream(20).getVideoTracks()[0] as MediaStreamTrack;
    const settings = track.getSettings.bind(track);
    track.getSettings = () => ({ ...settings(), deviceId: ID });
    tracks.push(track);
    const stream = new MediaStream([track]);
    if (constraints?.audio) {
      for (const t of (await getUserMedia({ audio: constraints.audio })).getAudioTracks()) {
        stream.addTrack(t);
      }
    }
    return stream;
  };
}

/** Offers a page received (`signal` with an SDP offer), from anyone. */
function offerCount(log: SignalingLog): number {
  return log.received.filter(
    (r) =>
      r.message.type === 'signal' &&
      (r.message.description as { type?: string } | undefined)?.type === 'offer',
  ).length;
}

/** Which colour dominates what a video element shows ('none' before a frame). */
function dominant(video: Locator): Promise<'red' | 'green' | 'blue' | 'none'> {
  return video.evaluate((el: HTMLVideoElement) => {
    if (el.videoWidth === 0) {
      return 'none';
    }
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 36;
    const g = canvas.getContext('2d') as CanvasRenderingContext2D;
    g.drawImage(el, 0, 0, canvas.width, canvas.height);
    const px = g.getImageData(0, 0, canvas.width, canvas.height).data;
    const sum = [0, 0, 0];
    for (let i = 0; i < px.length; i += 4) {
      for (let c = 0; c < 3; c++) {
        sum[c] = (sum[c] ?? 0) + (px[i + c] ?? 0);
      }
    }
    const [r = 0, gr = 0, b = 0] = sum;
    return r > gr && r > b ? 'red' : gr > b ? 'green' : 'blue';
  });
}

/**
 * The RMS level of the audio Ada's sender takes in over one second, from getStats()
 * (media-source totalAudioEnergy over totalSamplesDuration): what goes on the wire.
 */
async function sentAudioRms(page: Page): Promise<number> {
  const read = () =>
    page.evaluate(async () => {
      const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
      for (const pc of pcs.filter((p) => p.connectionState === 'connected')) {
        const sender = pc.getSenders().find((s) => s.track?.kind === 'audio');
        if (!sender) {
          continue;
        }
        let energy = 0;
        let duration = 0;
        (await sender.getStats()).forEach((s: Record<string, unknown>) => {
          if (s.type === 'media-source' && s.kind === 'audio') {
            energy = Number(s.totalAudioEnergy ?? 0);
            duration = Number(s.totalSamplesDuration ?? 0);
          }
        });
        return { energy, duration };
      }
      return { energy: 0, duration: 0 };
    });
  const a = await read();
  await page.waitForTimeout(1000);
  const b = await read();
  const dt = b.duration - a.duration;
  return dt > 0 && b.energy >= a.energy ? Math.sqrt((b.energy - a.energy) / dt) : 0;
}

/** The label of the audio track Ada's connected sender sends, or null. */
function sentAudioLabel(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    for (const pc of pcs.filter((p) => p.connectionState === 'connected')) {
      const track = pc.getSenders().find((s) => s.track?.kind === 'audio')?.track;
      if (track) {
        return track.label;
      }
    }
    return null;
  });
}

/** A mono 48 kHz 16-bit WAV of white noise at `amplitude` (0..1). */
function writeWhiteNoise(path: string, seconds: number, amplitude: number): void {
  const rate = 48_000;
  const samples = rate * seconds;
  const buf = Buffer.alloc(44 + samples * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + samples * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    buf.writeInt16LE(Math.round((Math.random() * 2 - 1) * amplitude * 32767), 44 + i * 2);
  }
  mkdirSync(fileURLToPath(new URL('.', `file://${path}`)), { recursive: true });
  writeFileSync(path, buf);
}

/**
 * The RMS level of the audio a page receives over one second, from getStats()
 * (inbound-rtp totalAudioEnergy over totalSamplesDuration): what it hears.
 */
async function receivedAudioRms(page: Page): Promise<number> {
  const read = () =>
    page.evaluate(async () => {
      const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
      let energy = 0;
      let duration = 0;
      for (const pc of pcs.filter((p) => p.connectionState === 'connected')) {
        (await pc.getStats()).forEach((s: Record<string, unknown>) => {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') {
            energy += Number(s.totalAudioEnergy ?? 0);
            duration += Number(s.totalSamplesDuration ?? 0);
          }
        });
      }
      return { energy, duration };
    });
  const a = await read();
  await page.waitForTimeout(1000);
  const b = await read();
  const dt = b.duration - a.duration;
  return dt > 0 && b.energy >= a.energy ? Math.sqrt((b.energy - a.energy) / dt) : 0;
}
