import { expect, test, type Page } from '@playwright/test';
import { CHROMIUM, requireBinary } from './env';
import { coturnPerTest } from './fixtures/coturn';
import { mintTurnCredential } from '../packages/server/src/ice/ice-servers';

const startTurn = coturnPerTest();

interface Gathered {
  relay: string[];
  errors: Array<{ code: number; text: string }>;
}

/** Gather relay-only candidates in Chromium with one TURN credential. */
function gather(page: Page, url: string, username: string, credential: string): Promise<Gathered> {
  return page.evaluate(
    async ({ url, username, credential }) => {
      const pc = new RTCPeerConnection({
        iceServers: [{ urls: url, username, credential }],
        iceTransportPolicy: 'relay',
      });
      const relay: string[] = [];
      const errors: Array<{ code: number; text: string }> = [];
      pc.onicecandidate = (e) => {
        if (e.candidate?.candidate) {
          relay.push(e.candidate.candidate);
        }
      };
      pc.onicecandidateerror = (e) => {
        const err = e as RTCPeerConnectionIceErrorEvent;
        errors.push({ code: err.errorCode, text: err.errorText });
      };
      pc.createDataChannel('probe');
      await pc.setLocalDescription();
      await new Promise<void>((resolve) => {
        const deadline = Date.now() + 15_000;
        const check = (): void => {
          if (pc.iceGatheringState === 'complete' || Date.now() > deadline) {
            resolve();
          } else {
            setTimeout(check, 100);
          }
        };
        check();
      });
      pc.close();
      return { relay, errors };
    },
    { url, username, credential },
  );
}

test('coturn grants a fresh minted credential and refuses an expired one', async ({ page }) => {
  requireBinary(CHROMIUM, 'Chromium');
  const turn = await startTurn();
  await page.goto('about:blank');

  // Same secret, same scheme as the server uses; one expired a minute ago.
  const fresh = mintTurnCredential(turn.secret, 'e2e-fresh', 600);
  const expired = mintTurnCredential(turn.secret, 'e2e-expired', -60);

  const ok = await gather(page, turn.url, fresh.username, fresh.credential);
  expect(ok.relay.length, JSON.stringify(ok)).toBeGreaterThan(0);
  expect(ok.relay.every((c) => / typ relay /.test(c))).toBe(true);
  expect(ok.errors.filter((e) => e.code === 401)).toEqual([]);

  const refused = await gather(page, turn.url, expired.username, expired.credential);
  expect(refused.relay).toEqual([]);
  expect(refused.errors.map((e) => e.code)).toContain(401);
  // coturn's own log says why: the allocation under the expired name was refused.
  await expect.poll(() => turn.log()).toMatch(/Cannot find credentials of user <\d+:e2e-expired>/);
});

test('a credential signed with another secret is refused too', async ({ page }) => {
  requireBinary(CHROMIUM, 'Chromium');
  const turn = await startTurn();
  await page.goto('about:blank');
  const forged = mintTurnCredential('not-the-secret', 'e2e-forged', 600);
  const refused = await gather(page, turn.url, forged.username, forged.credential);
  expect(refused.relay).toEqual([]);
  expect(refused.errors.map((e) => e.code)).toContain(401);
});
