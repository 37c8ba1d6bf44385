#!/usr/bin/env node
// Screenshots of a direct call between two contacts, at phone and desktop size: the
// incoming call, the call, a screen share, the call's audio and video settings, and the
// notice a newly plugged camera brings: `node e2e/screenshots-calls.mjs`.
// Not a test: it asserts nothing, it only shows.
import { SIZES, launchChromium, startServer, shot } from './screenshot-kit.mjs';

const browser = await launchChromium();

/**
 * Runs in Ada's page before the app: `window.__plugCamera()` makes a "Blue test camera"
 * appear in enumerateDevices and fires devicechange, as plugging one in does (the e2e
 * tests' full virtual camera, which can also be opened, is e2e/fixtures/devices.ts).
 */
function pluggableCamera() {
  const md = navigator.mediaDevices;
  const enumerate = md.enumerateDevices.bind(md);
  let plugged = false;
  md.enumerateDevices = async () => {
    const list = await enumerate();
    if (!plugged) {
      return list;
    }
    const blue = { deviceId: 'virtual-camera', groupId: 'virtual', kind: 'videoinput' };
    return [...list, { ...blue, label: 'Blue test camera', toJSON: () => blue }];
  };
  window.__plugCamera = () => {
    plugged = true;
    md.dispatchEvent(new Event('devicechange'));
  };
}

async function person(server, viewport, username) {
  const context = await browser.newContext({
    viewport,
    permissions: ['camera', 'microphone'],
    deviceScaleFactor: 1,
  });
  await context.addInitScript(pluggableCamera);
  const page = await context.newPage();
  const res = await page.request.post(`${server.url}/api/accounts`, {
    data: { username, password: 'correct horse battery' },
  });
  const { user } = await res.json();
  await page.goto(`${server.url}/contacts`);
  await page.locator('[data-testid="contacts-page"][data-connection="open"]').waitFor();
  return { page, user };
}

for (const [size, viewport] of Object.entries(SIZES)) {
  // A server per size, so that both sizes show the same usernames.
  const server = await startServer({ scryptCost: 10, registerMaxPerIp: 1000 });
  const ada = await person(server, viewport, 'ada');
  const ben = await person(server, viewport, 'ben');
  await ada.page.request.post(`${server.url}/api/contacts/requests`, {
    data: { username: ben.user.username },
  });
  await ben.page.request.post(`${server.url}/api/contacts/${ada.user.id}/accept`);
  const row = ada.page.locator(`[data-testid="contact"][data-username="${ben.user.username}"]`);
  await row.getByTestId('call-video').click();

  await ben.page.getByTestId('incoming-call').waitFor();
  await ben.page.waitForTimeout(500);
  await shot(ben.page, `call-incoming-${size}`);
  await ben.page.getByTestId('incoming-call').getByTestId('accept-call').click();
  for (const { page } of [ada, ben]) {
    await page.getByTestId('call-status').getByText('Connected').waitFor({ timeout: 30_000 });
  }
  await ada.page.waitForTimeout(2500);
  await shot(ada.page, `call-video-${size}`);

  // Ben shares his screen: Ada sees it large, with his camera in the corner.
  if (await ben.page.getByTestId('toggle-screen').isVisible()) {
    await ben.page.getByTestId('toggle-screen').click();
    await ada.page.getByTestId('call-remote-screen').waitFor({ timeout: 20_000 });
    await ada.page.waitForTimeout(2500);
    await shot(ada.page, `call-screen-${size}`);
    await ben.page.getByTestId('toggle-screen').click();
  }

  // A camera is plugged in during the call: the notice offers it; then the settings.
  await ada.page.evaluate(() => window.__plugCamera());
  await ada.page.getByTestId('device-notice').waitFor();
  await ada.page.waitForTimeout(500);
  await shot(ada.page, `call-device-notice-${size}`);
  await ada.page.getByTestId('call-settings').click();
  await ada.page.getByTestId('settings-dialog').waitFor();
  await ada.page.waitForTimeout(800);
  await shot(ada.page, `call-settings-${size}`);

  await ada.page.context().close();
  await ben.page.context().close();
  await server.close();
}
await browser.close();
