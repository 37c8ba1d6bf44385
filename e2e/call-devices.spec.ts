import type { Page } from '@playwright/test';
import { ACCOUNT_SERVER, signUpContacts, startCall } from './fixtures/accounts';
import {
  dominant,
  expectNoiseSuppression,
  noisyMicrophone,
  reportSuppression,
  offerCount,
  receivedAudioRms,
  sentAudioRms,
  unplugAndReplugCamera,
  virtualDevice,
  VIRTUAL_CAMERA,
  VIRTUAL_MIC,
  type VirtualCameraHooks,
  type VirtualMicHooks,
} from './fixtures/devices';
import { expect, test } from './fixtures/parley';
import { recordSignaling } from './fixtures/signaling-log';

/**
 * Devices in a direct call (DirectCall owns its tracks, not LocalMedia: its own path,
 * use-call-devices.ts): the camera and microphone picked in the call's settings are
 * what the other person decodes and hears, unplugging falls back and says so, and
 * noise suppression sends RNNoise's output, all without a new offer. The devices:
 * fixtures/devices.ts.
 */

test.use(noisyMicrophone());

test('in a direct call the camera and microphone switch, unplug and plug in, and noise suppression toggles, without a new offer', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(120_000);
  const server = await startServer(ACCOUNT_SERVER);
  const ada = await newPerson();
  await ada.context().addInitScript(virtualDevice, VIRTUAL_CAMERA);
  await ada.context().addInitScript(virtualDevice, VIRTUAL_MIC);
  const ben = await newPerson();
  const adaLog = recordSignaling(ada);
  const benLog = recordSignaling(ben);
  const { benUser } = await signUpContacts(ada, ben, server);

  await startCall(ada, benUser.username, 'video');
  await ben.getByTestId('incoming-call').getByTestId('accept-call').click();
  for (const page of [ada, ben]) {
    await expect(page.getByTestId('call-status')).toHaveText('Connected', { timeout: 30_000 });
  }

  // Ben decodes Ada's fake camera (green) and hears her fake microphone (fan noise).
  const adaVideo = remoteVideo(ben);
  await expect.poll(() => dominant(adaVideo), { timeout: 20_000 }).toBe('green');
  await expect.poll(() => receivedAudioRms(ben), { timeout: 20_000 }).toBeGreaterThan(0.02);
  const heard = await receivedAudioRms(ben);
  const noisy = await sentAudioRms(ada);
  const offers = offerCount(adaLog) + offerCount(benLog);

  // A camera and a microphone are plugged in; Ada picks them in the call's settings.
  await ada.evaluate(() => {
    (window as unknown as VirtualCameraHooks).__virtualCamera.plug();
    (window as unknown as VirtualMicHooks).__virtualMic.plug();
  });
  await ada.getByTestId('call-settings').click();
  const dialog = ada.getByTestId('settings-dialog');
  const cameraSelect = dialog.getByTestId('device-videoinput');
  await expect(cameraSelect.locator('option')).toHaveText(['fake_device_0', 'Blue test camera']);
  await cameraSelect.selectOption({ label: 'Blue test camera' });
  // What Ben decodes turns blue: the new camera's frames, on the same connection.
  await expect.poll(() => dominant(adaVideo), { timeout: 20_000 }).toBe('blue');
  await expect(cameraSelect).toHaveValue('virtual-camera');

  const micSelect = dialog.getByTestId('device-audioinput');
  await micSelect.selectOption({ label: 'Silent test microphone' });
  // What Ada sends and what Ben hears fall silent: the new microphone is on the wire.
  await expect.poll(() => sentAudioRms(ada), { timeout: 10_000 }).toBeLessThan(noisy / 10);
  await expect.poll(() => receivedAudioRms(ben), { timeout: 10_000 }).toBeLessThan(heard / 10);
  await expect(micSelect).toHaveValue('virtual-mic');
  const saved = await ada.evaluate(() => localStorage.getItem('parley.devices'));
  expect(saved).toContain('"videoinput":{"id":"virtual-camera","label":"Blue test camera"}');
  expect(saved).toContain('"audioinput":{"id":"virtual-mic","label":"Silent test microphone"}');

  // The silent microphone is unplugged: Ada is told, and Ben hears the noise again.
  await ada.evaluate(() => (window as unknown as VirtualMicHooks).__virtualMic.unplug());
  await expect(ada.getByTestId('device-notice')).toContainText(
    'Your microphone was disconnected; using',
  );
  await expect.poll(() => receivedAudioRms(ben), { timeout: 10_000 }).toBeGreaterThan(heard / 2);

  // Noise suppression on, off, on and off: an AudioWorkletNode runs RNNoise, what Ada
  // sends is its output, and the level of the fan noise she sends falls while it is on
  // (fixtures/devices.ts, SUPPRESSION_BOUND).
  const toggle = dialog.getByTestId('noise-suppression');
  await expect(toggle).not.toBeChecked();
  reportSuppression(await expectNoiseSuppression(ada, toggle));

  // The speaker chosen here plays Ben: every <audio> of the call (his voice, and the
  // sound of a screen he shares) is on it.
  await dialog.getByTestId('device-audiooutput').selectOption({ label: 'Fake Audio Output 2' });
  const speaker = await dialog.getByTestId('device-audiooutput').inputValue();
  await expect
    .poll(() =>
      ada
        .locator('audio')
        .evaluateAll((els) => [...new Set(els.map((a) => (a as HTMLAudioElement).sinkId))]),
    )
    .toEqual([speaker]);

  // The blue camera is unplugged: Ada is told, Ben decodes the other camera again; and back.
  await dialog.getByRole('button', { name: 'Close settings' }).click();
  await unplugAndReplugCamera(ada, adaVideo);

  // Nothing was renegotiated through all of it.
  expect(offerCount(adaLog) + offerCount(benLog)).toBe(offers);
});

/** The other person's camera as a direct call shows it. */
function remoteVideo(page: Page) {
  return page.getByTestId('call-screen').locator('video.direct-call__remote');
}
