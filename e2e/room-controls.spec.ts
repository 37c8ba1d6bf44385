import { expect, expectPeople, joinTogether, roomLink, test, tileOf } from './fixtures/parley';
import { inboundVideoFrames } from './fixtures/stats';

test('mic and camera toggles show on the other side', async ({ startServer, newPerson }) => {
  const server = await startServer();
  const ada = await newPerson();
  const grace = await newPerson();
  await ada.goto(roomLink(server, 'toggles', 'Ada'));
  await grace.goto(roomLink(server, 'toggles', 'Grace'));
  await expectPeople(ada, ['Ada', 'Grace']);
  await expectPeople(grace, ['Ada', 'Grace']);

  const adaAtGrace = tileOf(grace, 'Ada');
  await expect(adaAtGrace).toHaveAttribute('data-muted', 'false');
  await expect(adaAtGrace).toHaveAttribute('data-camera-off', 'false');
  await expect(adaAtGrace.locator('video')).toBeVisible();

  // The People panel lists everyone.
  await grace.getByTestId('panel-people').click();
  const panel = grace.getByTestId('side-panel');
  await expect(panel.getByRole('listitem')).toHaveCount(2);
  await expect(panel.getByRole('listitem')).toContainText(['Grace (you)', 'Ada']);
  await panel.getByRole('button', { name: 'Close People' }).click();
  await expect(panel).toHaveCount(0);

  // Ada's fake microphone beeps: Grace sees her tile light up while it does.
  await expect
    .poll(() => adaAtGrace.getAttribute('data-speaking'), { timeout: 15_000, intervals: [150] })
    .toBe('true');

  // Mic off: Grace sees Ada's muted badge.
  await ada.getByTestId('toggle-mic').click();
  await expect(adaAtGrace).toHaveAttribute('data-muted', 'true');
  await expect(adaAtGrace.getByTestId('muted')).toBeVisible();
  await expect(tileOf(ada, 'Ada')).toHaveAttribute('data-muted', 'true');
  // A muted microphone sends silence: no more highlight.
  await expect(adaAtGrace).toHaveAttribute('data-speaking', 'false');

  // Camera off: the camera is really released, and Grace sees Ada's initials.
  await ada.getByTestId('toggle-camera').click();
  await expect(adaAtGrace).toHaveAttribute('data-camera-off', 'true');
  await expect(adaAtGrace.getByTestId('camera-off')).toContainText('A');
  await expect(adaAtGrace.locator('video')).toHaveCount(0);
  await expect(tileOf(ada, 'Ada')).toHaveAttribute('data-camera-off', 'true');
  // Ada sends no video at all any more: her sender carries no track. replaceTrack(null)
  // settles on the peer connection's own queue, which can finish after the signaling
  // message has already reached Grace, so this is polled rather than read once.
  await expect
    .poll(() =>
      ada.evaluate(
        () =>
          (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs
            .filter((pc) => pc.connectionState !== 'closed')
            .flatMap((pc) => pc.getSenders())
            .filter((sender) => sender.track?.kind === 'video').length,
      ),
    )
    .toBe(0);
  // And the camera is released (its light goes out): every video track it got has ended.
  const liveCameraTracks = await ada.evaluate(
    () =>
      (window as unknown as { __tracks: MediaStreamTrack[] }).__tracks.filter(
        (t) => t.kind === 'video' && t.readyState === 'live',
      ).length,
  );
  expect(liveCameraTracks).toBe(0);

  // Both back on: Grace sees Ada's video again and decodes new frames.
  await ada.getByTestId('toggle-mic').click();
  await ada.getByTestId('toggle-camera').click();
  await expect(adaAtGrace).toHaveAttribute('data-muted', 'false');
  await expect(adaAtGrace).toHaveAttribute('data-camera-off', 'false');
  await expect(adaAtGrace.locator('video')).toBeVisible();
  const before = Object.values(await inboundVideoFrames(grace))[0] ?? 0;
  await expect
    .poll(async () => Object.values(await inboundVideoFrames(grace))[0] ?? 0, { timeout: 20_000 })
    .toBeGreaterThan(before + 10);
});

test('leaving removes the tile for everyone else', async ({ startServer, newPerson }) => {
  const server = await startServer();
  const names = ['Ada', 'Grace', 'Linus'];
  const pages = await joinTogether(server, newPerson, 'leavers', names, { video: false });
  for (const page of pages) {
    await expectPeople(page, names);
  }
  const [ada, grace, linus] = pages as [
    (typeof pages)[number],
    (typeof pages)[number],
    (typeof pages)[number],
  ];

  // Leave with the button.
  await linus.getByTestId('leave').click();
  await expect(linus.getByTestId('left')).toContainText('You left the room');
  await expectPeople(ada, ['Ada', 'Grace']);
  await expectPeople(grace, ['Ada', 'Grace']);
  await expect(ada.getByTestId('participant-count')).toHaveText('2 people');

  // Leave by closing the tab: pagehide says goodbye without waiting for a timeout.
  await grace.close({ runBeforeUnload: true });
  await expectPeople(ada, ['Ada']);
  await expect(ada.getByTestId('waiting')).toBeVisible();
});

test('a camera turned on after joining without one reaches the others', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer();
  const ada = await newPerson();
  const grace = await newPerson();
  await ada.goto(roomLink(server, 'late-camera', 'Ada', { video: false, audio: false }));
  await grace.goto(roomLink(server, 'late-camera', 'Grace', { video: false }));
  await expectPeople(grace, ['Ada', 'Grace']);
  await expectPeople(ada, ['Ada', 'Grace']);
  const adaAtGrace = tileOf(grace, 'Ada');
  await expect(adaAtGrace).toHaveAttribute('data-camera-off', 'true');
  await expect(adaAtGrace).toHaveAttribute('data-muted', 'true');

  await ada.getByTestId('toggle-camera').click();
  await ada.getByTestId('toggle-mic').click();
  await expect(adaAtGrace).toHaveAttribute('data-camera-off', 'false');
  await expect(adaAtGrace).toHaveAttribute('data-muted', 'false');
  await expect(adaAtGrace.locator('video')).toBeVisible();
  await expect
    .poll(async () => Object.values(await inboundVideoFrames(grace))[0] ?? 0, { timeout: 20_000 })
    .toBeGreaterThan(10);
});
