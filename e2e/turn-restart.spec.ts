import { CHROMIUM, requireBinary } from './env';
import { expect, expectPeople, roomLink, test, tileNames, tileOf } from './fixtures/parley';
import { expectDecodingFromAll, inboundVideoFrames } from './fixtures/stats';
import { coturnPerTest } from './fixtures/coturn';
import { localUfrags, peerConnectionsMade, selectedCandidateTypes } from './fixtures/path-stats';

const startTurn = coturnPerTest();

test('the media path breaks (TURN down under relay-only) and ICE restart brings it back in the same room', async ({
  startServer,
  newPerson,
}) => {
  test.setTimeout(120_000);
  requireBinary(CHROMIUM, 'Chromium');
  const turn = await startTurn();
  const server = await startServer({
    turnUrls: [turn.url],
    turnSecret: turn.secret,
    iceTransportPolicy: 'relay',
    // Short-lived credentials: by the time coturn is back, the ones handed out with
    // `joined` have expired, so the restart only works with the refreshed ones.
    turnTtl: 10,
  });
  const ana = await newPerson();
  const bo = await newPerson();
  await ana.goto(roomLink(server, 'restart-room', 'Ana'));
  await bo.goto(roomLink(server, 'restart-room', 'Bo'));
  await expectPeople(ana, ['Ana', 'Bo']);
  await expectPeople(bo, ['Ana', 'Bo']);
  // Both hold a seat (and their first credentials) by now.
  const joinedBy = Date.now();
  await expectDecodingFromAll(ana, 1);
  await expectDecodingFromAll(bo, 1);
  const ufragsBefore = [...(await localUfrags(ana)), ...(await localUfrags(bo))];

  // The only media path is the relay: stopping coturn cuts it for real.
  await turn.stop();
  await expect(tileOf(ana, 'Bo')).toHaveAttribute('data-connection', 'reconnecting', {
    timeout: 30_000,
  });
  await expect(tileOf(ana, 'Bo')).toContainText(/reconnecting…/i);
  await expect(tileOf(bo, 'Ana')).toContainText(/reconnecting…/i, { timeout: 30_000 });
  // Frames really stopped: the decoder count does not move while the relay is down.
  const frozen = await inboundVideoFrames(ana);
  await ana.waitForTimeout(2000);
  expect(await inboundVideoFrames(ana)).toEqual(frozen);

  const firstExpiry = joinedBy + 10_000;
  if (Date.now() < firstExpiry + 2000) {
    await ana.waitForTimeout(firstExpiry + 2000 - Date.now());
  }
  await turn.start();
  const restartedAt = Date.now();
  await expect(tileOf(ana, 'Bo')).toHaveAttribute('data-connection', 'connected', {
    timeout: 45_000,
  });
  await expect(tileOf(bo, 'Ana')).toHaveAttribute('data-connection', 'connected', {
    timeout: 45_000,
  });
  await expect
    .poll(
      async () => {
        const now = await inboundVideoFrames(ana);
        return Object.entries(now).every(([stream, frames]) => frames > (frozen[stream] ?? 0));
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  console.log(`video decoding again ${Date.now() - restartedAt} ms after coturn restarted`);
  await expectDecodingFromAll(ana, 1);
  await expectDecodingFromAll(bo, 1);

  // Same room, same people, same peer connections: recovered by an ICE restart
  // (new ICE credentials on the existing connection), not by leaving and rejoining.
  expect(await tileNames(ana)).toEqual(['Ana', 'Bo']);
  expect(await peerConnectionsMade(ana)).toBe(1);
  expect(await peerConnectionsMade(bo)).toBe(1);
  const ufragsAfter = [...(await localUfrags(ana)), ...(await localUfrags(bo))];
  expect(ufragsAfter[0]).not.toBe(ufragsBefore[0]);
  expect(ufragsAfter[1]).not.toBe(ufragsBefore[1]);
  expect(await selectedCandidateTypes(ana)).toEqual([{ local: 'relay', remote: 'relay' }]);
});
