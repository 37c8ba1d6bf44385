import { expect, expectPeople, roomLink, test, tileOf } from './fixtures/parley';
import { ACCOUNT_SERVER, signUpContacts, startCall } from './fixtures/accounts';
import {
  expectOwnCameraFlowing,
  expectScreenAudioPlaying,
  expectVideoStreamsRising,
  recordDisplayStreams,
  risingAndStalled,
  screenAudioPlayback,
  sharedContentHint,
  spotlight,
  stopFromBrowserBar,
} from './fixtures/screen';
import { connectedPeerCount } from './fixtures/stats';

test('mesh room: a shared screen is a second video in the spotlight with its sound playing, pin is local, the browser bar stops it for everyone', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(90_000);
  const server = await startServer();
  const ada = await newPerson();
  const grace = await newPerson();
  await recordDisplayStreams(ada);
  await ada.goto(roomLink(server, 'share-room', 'Ada'));
  await grace.goto(roomLink(server, 'share-room', 'Grace'));
  for (const page of [ada, grace]) {
    await expectPeople(page, ['Ada', 'Grace']);
  }
  await expectVideoStreamsRising(grace, 1);

  await ada.getByTestId('toggle-screen').click();
  await expect(ada.getByTestId('toggle-screen')).toHaveAttribute(
    'aria-label',
    'Stop sharing screen',
  );
  // Grace: Ada's screen large, both cameras in the strip, and two videos decoding.
  await expect(spotlight(grace)).toHaveAttribute('data-name', 'Ada’s screen');
  await expect(spotlight(grace)).toHaveAttribute('data-kind', 'screen');
  await expect(grace.getByTestId('strip').getByTestId('tile')).toHaveCount(2);
  await expectVideoStreamsRising(grace, 2);
  expect(await connectedPeerCount(grace)).toBe(1);
  // The tab's sound (Chromium's fake capture beeps) plays at Grace's, beside Ada's voice.
  await expectScreenAudioPlaying(grace);
  await expect(spotlight(ada)).toHaveAttribute('data-name', 'Your screen');
  // The screen keeps its pixels: the text-friendly hint is on the sent track.
  expect(await sharedContentHint(ada)).toBe('detail');

  // Grace pins Ada's camera: it takes the large spot for Grace only.
  await tileOf(grace, 'Ada').getByTestId('pin').click();
  await expect(spotlight(grace)).toHaveAttribute('data-name', 'Ada');
  await expect(spotlight(grace)).toHaveAttribute('data-pinned', 'true');
  await expect(spotlight(ada)).toHaveAttribute('data-name', 'Your screen');
  // Keyboard: the pin is a button; Enter on it unpins, and the share is large again.
  await spotlight(grace).getByTestId('pin').focus();
  await grace.keyboard.press('Enter');
  await expect(spotlight(grace)).toHaveAttribute('data-name', 'Ada’s screen');

  // The browser's own "Stop sharing" bar: the share ends for everyone.
  await stopFromBrowserBar(ada);
  for (const page of [ada, grace]) {
    await expect(page.getByTestId('grid')).toHaveAttribute('data-mode', 'grid');
    await expect(page.locator('[data-kind="screen"]')).toHaveCount(0);
  }
  await expect.poll(() => screenAudioPlayback(grace)).toBeNull();
  await expect(ada.getByTestId('toggle-screen')).toHaveAttribute('aria-label', 'Share screen');
  // Ada's camera does not miss a beat: the tile it moved out of let go of it. (A
  // <video> removed from the page while holding the camera stalled it for about 2 s.)
  await expectOwnCameraFlowing(ada);
  // Grace gets it; the screen's stream (its m-line now inactive, still in the stats)
  // no longer brings frames.
  expect(await risingAndStalled(grace)).toEqual({ rising: 1, stalled: 1 });
});

test('direct call: the screen arrives beside the camera with its sound playing, and stops with the button', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(90_000);
  const server = await startServer(ACCOUNT_SERVER);
  const ada = await newPerson();
  const ben = await newPerson();
  const { adaUser, benUser } = await signUpContacts(ada, ben, server, { ada: 'adas', ben: 'bens' });
  await startCall(ada, benUser.username, 'video');
  await ben.getByTestId('incoming-call').getByTestId('accept-call').click();
  for (const page of [ada, ben]) {
    await expect(page.getByTestId('call-status')).toHaveText('Connected', { timeout: 30_000 });
  }
  await expectVideoStreamsRising(ben, 1);

  await ada.getByTestId('toggle-screen').click();
  await expect(ben.getByTestId('call-remote-screen')).toBeVisible();
  await expect(ben.getByTestId('call-remote-screen')).toContainText(`${adaUser.username}’s screen`);
  await expectVideoStreamsRising(ben, 2);
  await expectScreenAudioPlaying(ben);

  await ada.getByTestId('toggle-screen').click();
  await expect(ben.getByTestId('call-remote-screen')).toHaveCount(0);
  await expect.poll(() => screenAudioPlayback(ben)).toBeNull();
  // As in the room: Ada's camera goes on without a gap, and Ben gets it.
  await expectOwnCameraFlowing(ada);
  expect(await risingAndStalled(ben)).toEqual({ rising: 1, stalled: 1 });
});
