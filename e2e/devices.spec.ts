import { expect, expectPeople, roomLink, test, tileOf } from './fixtures/parley';
import { recordSignaling } from './fixtures/signaling-log';
import {
  dominant,
  expectNoiseSuppression,
  noisyMicrophone,
  reportSuppression,
  offerCount,
  receivedAudioRms,
  sentAudioRms,
  unplugAndReplugCamera,
  notePlayedBlobs,
  virtualDevice,
  VIRTUAL_CAMERA,
  VIRTUAL_MIC,
  sentAudioLabel,
  suppressorNodes,
  type VirtualCameraHooks,
  type VirtualMicHooks,
} from './fixtures/devices';

/**
 * Devices in a room: cameras and microphones switched, unplugged and plugged in, and
 * noise suppression toggled (the devices themselves: fixtures/devices.ts).
 */

test.use(noisyMicrophone());

test('cameras switch, unplug and plug in, and noise suppression toggles, without a new offer', async ({
  startServer,
  newPerson,
}) => {
  // Two toggles wait up to 15 s each for the sent level to fall (SUPPRESSION_BOUND).
  test.setTimeout(120_000);
  const server = await startServer();
  const ada = await newPerson();
  await ada.context().addInitScript(virtualDevice, VIRTUAL_CAMERA);
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

  // Noise suppression (off by default on this two-core machine) on, off, on and off: an
  // AudioWorkletNode runs RNNoise, what Ada sends is its output, and the level of the
  // fan noise she sends falls while it is on (fixtures/devices.ts, SUPPRESSION_BOUND).
  const toggle = dialog.getByTestId('noise-suppression');
  await expect(toggle).not.toBeChecked();
  const levels = await expectNoiseSuppression(ada, toggle);
  reportSuppression(levels);
  await dialog.getByRole('button', { name: 'Close settings' }).click();

  // The blue camera is unplugged: Ada is told, and is back on the other camera; and back.
  await unplugAndReplugCamera(ada, adaVideo);

  // No renegotiation through all of it.
  expect(offerCount(adaLog) + offerCount(graceLog)).toBe(offers);
});

test('a direct link starts on the camera chosen before, not on the default one first', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer();
  const ada = await newPerson();
  await ada.context().addInitScript(virtualDevice, { ...VIRTUAL_CAMERA, plugged: true });
  // Chosen on a pre-join page earlier: remembered by this browser.
  await ada.goto(`${server.url}/r/remembered`);
  await ada.getByTestId('device-videoinput').selectOption({ label: 'Blue test camera' });
  await expect(ada.getByTestId('device-videoinput')).toHaveValue('virtual-camera');

  // The direct link asks for the camera before the app has loaded (index.html): on the
  // remembered one, so the default camera is never opened on that page.
  await ada.goto(roomLink(server, 'remembered', 'Ada'));
  const grace = await newPerson();
  await grace.goto(roomLink(server, 'remembered', 'Grace'));
  await expectPeople(grace, ['Ada', 'Grace']);
  await expect
    .poll(() => dominant(tileOf(grace, 'Ada').locator('video')), { timeout: 20_000 })
    .toBe('blue');
  expect(
    await ada.evaluate(() =>
      (window as unknown as { __tracks: MediaStreamTrack[] }).__tracks
        .filter((t) => t.kind === 'video')
        .map((t) => t.label),
    ),
  ).not.toContain('fake_device_0');
  await ada.getByTestId('open-settings').click();
  await expect(ada.getByTestId('device-videoinput')).toHaveValue('virtual-camera');
});

test('a microphone switch and unplug reach the other side without a new offer', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(120_000);
  const server = await startServer();
  const ada = await newPerson();
  await ada.context().addInitScript(virtualDevice, VIRTUAL_MIC);
  const grace = await newPerson();
  const adaLog = recordSignaling(ada);
  const graceLog = recordSignaling(grace);
  await ada.goto(roomLink(server, 'microphones', 'Ada'));
  await grace.goto(roomLink(server, 'microphones', 'Grace'));
  await expectPeople(ada, ['Ada', 'Grace']);
  await expectPeople(grace, ['Ada', 'Grace']);

  // Ada's fake microphone plays fan noise; Grace hears it.
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
  await ada.context().addInitScript(notePlayedBlobs);
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

test('a direct link with noise suppression remembered on sends the suppressed microphone', async ({
  startServer,
  newPerson,
}) => {
  // The call view opens holding the early join's devices (LocalMedia `granted`); the
  // suppressor the remembered choice asks for must still start once it is on screen.
  const server = await startServer();
  const ada = await newPerson();
  await ada.addInitScript(() =>
    localStorage.setItem('parley.devices', JSON.stringify({ noiseSuppression: true })),
  );
  const grace = await newPerson();
  await ada.goto(roomLink(server, 'remembered-suppression', 'Ada'));
  await grace.goto(roomLink(server, 'remembered-suppression', 'Grace'));
  await expectPeople(ada, ['Ada', 'Grace']);
  await expect
    .poll(() => suppressorNodes(ada).catch(() => []), { timeout: 15_000 })
    .toEqual([true]);
  // What goes out is the suppressor's output, not the microphone's own track.
  const micLabel = await ada.evaluate(async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const label = stream.getAudioTracks()[0]?.label ?? '';
    stream.getTracks().forEach((t) => t.stop());
    return label;
  });
  expect(micLabel).not.toBe('');
  await expect.poll(() => sentAudioLabel(ada), { timeout: 10_000 }).not.toBe(micLabel);
  expect(await sentAudioLabel(ada)).not.toBeNull();
});
