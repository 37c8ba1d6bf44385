#!/usr/bin/env node
// Screenshots of host controls at phone and desktop size: the host's People panel with
// the lobby and the room's access, the newcomer waiting in the lobby, the password page
// and the "removed" page: `node e2e/screenshots-hosts.mjs`. Asserts nothing.
import { SIZES, launchChromium, startServer, shot } from './screenshot-kit.mjs';

const server = await startServer();
const browser = await launchChromium();
const person = async (viewport) => {
  const ctx = await browser.newContext({ viewport, permissions: ['camera', 'microphone'] });
  return ctx.newPage();
};
/** The People panel: its own button, or through More on a phone. */
const openPeople = async (page) => {
  const button = page.getByTestId('panel-people');
  if (await button.isVisible()) {
    await button.click();
  } else {
    await page.getByTestId('more').click();
    await page.getByTestId('more-panel-people').click();
  }
  await page.getByTestId('host-settings').waitFor({ timeout: 10_000 });
};

for (const [size, viewport] of Object.entries(SIZES)) {
  const room = `hosts-${size}`;
  const ana = await person(viewport);
  await ana.goto(`${server.url}/r/${room}?name=Ana`);
  await ana.locator('[data-testid="call"][data-state="joined"]').waitFor({ timeout: 30_000 });
  const bo = await person(viewport);
  await bo.goto(`${server.url}/r/${room}?name=Bo`);
  await ana.locator('[data-testid="tile"][data-name="Bo"]').waitFor({ timeout: 30_000 });
  await openPeople(ana);
  await ana.getByTestId('host-lobby').click();
  await ana.getByTestId('host-password').fill('secret');
  await ana.getByRole('button', { name: 'Set', exact: true }).click();
  const cy = await person(viewport);
  await cy.goto(`${server.url}/r/${room}?name=Cy`);
  await cy.getByTestId('password-page').waitFor({ timeout: 15_000 });
  await cy.getByTestId('room-password').fill('wrong');
  await cy.getByRole('button', { name: 'Join' }).click();
  await cy.getByTestId('wrong-password').waitFor();
  await shot(cy, `hosts-password-${size}`);
  await cy.getByTestId('room-password').fill('secret');
  await cy.getByRole('button', { name: 'Join' }).click();
  await cy.getByTestId('lobby-notice').waitFor({ timeout: 15_000 });
  await ana.getByTestId('lobby-waiter').waitFor({ timeout: 15_000 });
  await cy.waitForTimeout(1000);
  await shot(cy, `hosts-lobby-waiting-${size}`);
  await shot(ana, `hosts-panel-${size}`);
  await ana.getByTestId('lobby-waiter').getByRole('button', { name: 'Admit' }).click();
  await ana.locator('[data-testid="tile"][data-name="Cy"]').waitFor({ timeout: 30_000 });
  await ana.locator('[data-testid="people-row"][data-name="Bo"]').getByTestId('ask-mute').click();
  await bo.getByTestId('mute-request-notice').waitFor({ timeout: 10_000 });
  await shot(bo, `hosts-mute-request-${size}`);
  await ana
    .locator('[data-testid="people-row"][data-name="Cy"]')
    .getByTestId('remove-person')
    .click();
  await cy.getByTestId('room-error').waitFor({ timeout: 10_000 });
  await shot(cy, `hosts-removed-${size}`);
  await ana.waitForTimeout(500);
  await shot(ana, `hosts-panel-after-${size}`);
  for (const p of [ana, bo, cy]) {
    await p.context().close();
  }
}
await browser.close();
await server.close();
