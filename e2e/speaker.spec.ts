import type { Page } from '@playwright/test';
import { expect, expectPeople, roomLink, test } from './fixtures/parley';

/**
 * The speaker choice (HTMLMediaElement.setSinkId). Headless Chromium with fake devices
 * lists three outputs ("Fake Default Audio Output", "Fake Audio Output 1" and 2) and
 * accepts setSinkId for them, so the test reads `sinkId` on what the page plays; what
 * reaches a loudspeaker cannot be observed here. Remote sound plays through one
 * <audio> per person; every <video> is muted, so the audio elements are all there is
 * to route.
 */

test('the speaker chosen before joining and in the call plays everyone, newcomers too, and is remembered', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(90_000);
  const server = await startServer();
  const ada = await newPerson();
  await ada.goto(`${server.url}/r/speakers`);
  const output = ada.getByTestId('device-audiooutput');
  await expect(output.locator('option')).toHaveText([
    'Fake Default Audio Output',
    'Fake Audio Output 1',
    'Fake Audio Output 2',
  ]);
  await output.selectOption({ label: 'Fake Audio Output 1' });
  const first = await output.inputValue();
  await ada.getByLabel('Your name').fill('Ada');
  await ada.getByTestId('join').click();

  const grace = await newPerson();
  await grace.goto(roomLink(server, 'speakers', 'Grace'));
  await expectPeople(ada, ['Ada', 'Grace']);
  await expect.poll(() => playing(ada)).toEqual([{ sinkId: first, live: true }]);

  // Linus joins after the choice: his sound plays on it too.
  const linus = await newPerson();
  await linus.goto(roomLink(server, 'speakers', 'Linus'));
  await expectPeople(ada, ['Ada', 'Grace', 'Linus']);
  await expect
    .poll(() => playing(ada))
    .toEqual([
      { sinkId: first, live: true },
      { sinkId: first, live: true },
    ]);

  // Changed in the call's settings: every element follows at once.
  await ada.getByTestId('open-settings').click();
  const inCall = ada.getByTestId('settings-dialog').getByTestId('device-audiooutput');
  await expect(inCall).toHaveValue(first);
  await inCall.selectOption({ label: 'Fake Audio Output 2' });
  const second = await inCall.inputValue();
  expect(second).not.toBe(first);
  await expect
    .poll(() => playing(ada))
    .toEqual([
      { sinkId: second, live: true },
      { sinkId: second, live: true },
    ]);
  // Video elements never play sound, so they need no routing.
  expect(
    await ada
      .locator('video')
      .evaluateAll((els) => (els as HTMLVideoElement[]).every((v) => v.muted)),
  ).toBe(true);

  // Remembered by this browser: another visit starts on it, before and after joining.
  const again = await ada.context().newPage();
  await again.goto(`${server.url}/r/speakers-again`);
  await expect(again.getByTestId('device-audiooutput')).toHaveValue(second);
  await again.getByLabel('Your name').fill('Ada');
  await again.getByTestId('join').click();
  await grace.goto(roomLink(server, 'speakers-again', 'Grace'));
  await expectPeople(again, ['Ada', 'Grace']);
  await expect.poll(() => playing(again)).toEqual([{ sinkId: second, live: true }]);
});

/** Each <audio> of the page that plays a track: the output it plays on. */
function playing(page: Page): Promise<Array<{ sinkId: string; live: boolean }>> {
  return page.locator('audio').evaluateAll((els) =>
    (els as HTMLAudioElement[])
      .filter((a) => a.srcObject instanceof MediaStream)
      .map((a) => ({
        sinkId: a.sinkId,
        live: (a.srcObject as MediaStream).getAudioTracks().some((t) => t.readyState === 'live'),
      })),
  );
}
