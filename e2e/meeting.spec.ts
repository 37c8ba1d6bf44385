import { execFileSync, spawnSync } from 'node:child_process';
import {
  expect,
  expectPeople,
  roomLink,
  test,
  tileOf,
  type Fixtures,
  type ServerAddress,
} from './fixtures/parley';
import { requireBinary } from './env';
import { expectScreenAudioPlaying } from './fixtures/screen';
import type { Page, TestInfo } from '@playwright/test';

const FFPROBE = '/usr/bin/ffprobe';
const FFMPEG = '/usr/bin/ffmpeg';

test('raise hand is seen by the other side; shortcuts work, but not while typing', async ({
  startServer,
  newPerson,
}) => {
  const server = await startServer();
  const ada = await newPerson();
  const grace = await newPerson();
  await ada.goto(roomLink(server, 'hands', 'Ada'));
  await grace.goto(roomLink(server, 'hands', 'Grace'));
  await expectPeople(ada, ['Ada', 'Grace']);
  await expectPeople(grace, ['Ada', 'Grace']);
  const adaAtGrace = tileOf(grace, 'Ada');

  // The button raises the hand: Grace sees it on Ada's tile and in the People panel.
  await ada.getByTestId('toggle-hand').click();
  await expect(adaAtGrace.getByTestId('hand')).toBeVisible();
  await expect(tileOf(ada, 'Ada')).toHaveAttribute('data-hand', 'true');
  await grace.getByTestId('panel-people').click();
  await expect(grace.getByTestId('people-hand')).toHaveCount(1);
  // H lowers it (the same toggle, by keyboard).
  await ada.locator('body').press('h');
  await expect(adaAtGrace).toHaveAttribute('data-hand', 'false');
  await expect(grace.getByTestId('people-hand')).toHaveCount(0);

  // M mutes and unmutes; Grace sees it.
  await ada.locator('body').press('m');
  await expect(adaAtGrace).toHaveAttribute('data-muted', 'true');
  await ada.locator('body').press('m');
  await expect(adaAtGrace).toHaveAttribute('data-muted', 'false');

  // C opens the chat; typing "hmm" there neither mutes nor raises a hand.
  await ada.locator('body').press('c');
  const input = ada.getByTestId('chat-input');
  await expect(input).toBeVisible();
  await input.click();
  await input.pressSequentially('hmm');
  await expect(input).toHaveValue('hmm');
  // Out of the text box, V turns the camera off: once Grace sees that, she would have
  // seen a mute or a hand sent before it (the server relays one client's state in order).
  await input.blur();
  await ada.locator('body').press('v');
  await expect(adaAtGrace).toHaveAttribute('data-camera-off', 'true');
  await expect(adaAtGrace).toHaveAttribute('data-muted', 'false');
  await expect(adaAtGrace).toHaveAttribute('data-hand', 'false');
  await expect(tileOf(ada, 'Ada')).toHaveAttribute('data-muted', 'false');

  // "?" lists the shortcuts; Escape closes the list.
  await ada.locator('body').press('?');
  const help = ada.getByTestId('shortcuts-dialog');
  await expect(help).toContainText('Turn the microphone on or off');
  await expect(help.locator('[data-shortcut="raise-hand"] kbd')).toHaveText('H');
  await ada.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
});

test('a recording is a WebM with one video and one audio track; everyone sees the badge', async ({
  startServer,
  newPerson,
}, testInfo) => {
  requireBinary(FFPROBE, 'ffprobe (Debian package ffmpeg)');
  const server = await startServer();
  const [ada, grace] = await adaAndGrace(newPerson, server, 'rec');
  await expect(tileOf(ada, 'Grace').locator('video')).toBeVisible();

  await ada.getByTestId('more').click();
  await ada.getByTestId('more-record').click();
  await expect(grace.getByTestId('recording-badge')).toContainText('Recording');
  await expect(grace.getByTestId('recording-badge')).toContainText('Ada');
  await expect(ada.getByTestId('recording-badge')).toContainText('you');

  // Someone joining during the recording sees the badge at once (from the state the
  // server keeps with Ada's seat); their coming and going does not stop the recording.
  const linus = await newPerson();
  await linus.goto(roomLink(server, 'rec', 'Linus', { video: false }));
  await expect(linus.getByTestId('recording-badge')).toContainText('Ada', { timeout: 30_000 });
  await linus.close();

  // Elapsed time and size grow while it records.
  await expect(ada.getByTestId('recording-elapsed')).toHaveText(/^0:(0[3-9]|[1-5]\d)$/, {
    timeout: 10_000,
  });
  await expect(ada.getByTestId('recording-size')).not.toHaveText('0 bytes');

  const path = await stopAndSave(ada, 'rec', testInfo);
  await expect(grace.getByTestId('recording-badge')).toHaveCount(0);
  await expect(ada.getByTestId('recording-status')).toHaveCount(0);

  const probe = probeFile(path);
  expect(probe.format.format_name).toContain('webm');
  const video = probe.streams.filter((s) => s.codec_type === 'video');
  const audio = probe.streams.filter((s) => s.codec_type === 'audio');
  expect(video).toHaveLength(1);
  expect(audio).toHaveLength(1);
  expect(['vp8', 'vp9']).toContain(video[0]?.codec_name);
  expect(video[0]?.width).toBe(1280);
  expect(audio[0]?.codec_name).toBe('opus');
  // Moving video, not one still picture: frames that differ from the one before
  // (ffmpeg's mpdecimate drops near-duplicates). The rate is reported, not asserted: on
  // a loaded two-core machine it is well below the 20 fps drawn (docs/UI.md, "Recording").
  const times = videoFrameTimes(path);
  const seconds = (times.at(-1) ?? 0) - (times[0] ?? 0);
  const distinct = distinctFrames(path);
  const rate = `${times.length} frames (${distinct} distinct) in ${seconds.toFixed(1)} s: ${((times.length - 1) / seconds).toFixed(1)} fps`;
  console.log(`recording: ${rate}`);
  testInfo.annotations.push({ type: 'recording frame rate', description: rate });
  expect(distinct).toBeGreaterThanOrEqual(5);
  // The mix is not silence: the fake microphones beep.
  expect(maxVolumeDb(path)).toBeGreaterThan(-40);
});

test('a recording mixes a shared tab’s sound into its one audio track', async ({
  startServer,
  newPerson,
}, testInfo) => {
  requireBinary(FFPROBE, 'ffprobe (Debian package ffmpeg)');
  // No microphones: whatever the file sounds like comes from Grace's shared tab.
  const [ada, grace] = await adaAndGrace(newPerson, await startServer(), 'rec-screen', {
    audio: false,
  });
  await grace.getByTestId('toggle-screen').click();
  await expectScreenAudioPlaying(ada);

  await ada.getByTestId('more').click();
  await ada.getByTestId('more-record').click();
  await expect(ada.getByTestId('recording-elapsed')).toHaveText(/^0:(0[3-9]|[1-5]\d)$/, {
    timeout: 10_000,
  });
  const path = await stopAndSave(ada, 'rec-screen', testInfo);
  const audio = probeFile(path).streams.filter((s) => s.codec_type === 'audio');
  expect(audio).toHaveLength(1);
  // The fake tab beeps; a mix without it is digital silence (about -91 dB).
  expect(maxVolumeDb(path)).toBeGreaterThan(-40);
});

/** Ada and Grace in `room`, each seeing both. */
async function adaAndGrace(
  newPerson: Fixtures['newPerson'],
  server: ServerAddress,
  room: string,
  media: { audio?: boolean } = {},
): Promise<[Page, Page]> {
  const pages: [Page, Page] = [await newPerson(), await newPerson()];
  await pages[0].goto(roomLink(server, room, 'Ada', media));
  await pages[1].goto(roomLink(server, room, 'Grace', media));
  for (const page of pages) {
    await expectPeople(page, ['Ada', 'Grace']);
  }
  return pages;
}

/** Stop the page's recording and keep the file it downloads; returns its path. */
async function stopAndSave(page: Page, room: string, testInfo: TestInfo): Promise<string> {
  const download = page.waitForEvent('download');
  await page.getByTestId('recording-stop').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(
    new RegExp(`^parley-${room}-\\d{4}-\\d\\d-\\d\\d-\\d{4}\\.webm$`),
  );
  const path = testInfo.outputPath('recording.webm');
  await file.saveAs(path);
  return path;
}

/** The loudest moment of a file's sound, in dB (ffmpeg's volumedetect). */
function maxVolumeDb(path: string): number {
  const volume = spawnSync(FFMPEG, ['-i', path, '-af', 'volumedetect', '-f', 'null', '-'], {
    encoding: 'utf8',
  });
  return Number(/max_volume: (-?[\d.]+) dB/.exec(volume.stderr)?.[1] ?? '-Infinity');
}

interface Probe {
  streams: Array<{
    codec_type: string;
    codec_name: string;
    width?: number;
    nb_read_frames?: string;
  }>;
  format: { format_name: string };
}

/** A file's container and streams as ffprobe sees them (frames counted). */
function probeFile(path: string): Probe {
  return JSON.parse(
    execFileSync(FFPROBE, [
      ...['-v', 'error', '-count_frames', '-of', 'json'],
      ...['-show_entries', 'stream=codec_type,codec_name,width,height,nb_read_frames'],
      ...['-show_entries', 'format=format_name'],
      path,
    ]).toString(),
  ) as Probe;
}

/** How many of a video's frames differ visibly from the one before (ffmpeg's mpdecimate). */
function distinctFrames(path: string): number {
  const out = spawnSync(
    FFMPEG,
    ['-i', path, '-an', '-vf', 'mpdecimate', '-fps_mode', 'vfr', '-f', 'null', '-'],
    { encoding: 'utf8' },
  );
  const counts = [...out.stderr.matchAll(/frame=\s*(\d+)/g)].map((m) => Number(m[1]));
  return counts.at(-1) ?? 0;
}

/**
 * When each video frame of a file is shown, in seconds, in order. (MediaRecorder's WebM
 * has no duration in its header; the frames' own times give it.)
 */
function videoFrameTimes(path: string): number[] {
  return execFileSync(FFPROBE, [
    ...['-v', 'error', '-select_streams', 'v:0'],
    ...['-show_entries', 'packet=pts_time', '-of', 'csv=p=0', path],
  ])
    .toString()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(Number)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
}
