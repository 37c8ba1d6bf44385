import { CHROMIUM, requireBinary } from './env';
import { expect, expectPeople, roomLink, test } from './fixtures/parley';
import { expectDecodingFromAll } from './fixtures/stats';
import { coturnPerTest } from './fixtures/coturn';
import { selectedCandidateTypes } from './fixtures/path-stats';

const startTurn = coturnPerTest();

test('a relay-only call goes through a real coturn: video flows, the selected pair is relay', async ({
  startServer,
  newPerson,
}) => {
  requireBinary(CHROMIUM, 'Chromium');
  const turn = await startTurn();
  const server = await startServer({
    turnUrls: [turn.url],
    turnSecret: turn.secret,
    iceTransportPolicy: 'relay',
  });
  const ana = await newPerson();
  const bo = await newPerson();
  // Everything the browser receives over signaling, to check the secret is never in it.
  const frames: string[] = [];
  ana.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
  await ana.goto(roomLink(server, 'relay-room', 'Ana'));
  await bo.goto(roomLink(server, 'relay-room', 'Bo'));
  await expectPeople(ana, ['Ana', 'Bo']);
  await expectPeople(bo, ['Ana', 'Bo']);

  await expectDecodingFromAll(ana, 1);
  await expectDecodingFromAll(bo, 1);
  for (const page of [ana, bo]) {
    expect(await selectedCandidateTypes(page)).toEqual([{ local: 'relay', remote: 'relay' }]);
  }
  // The browser got minted credentials (expiry:session), never the shared secret.
  const joined = frames
    .map((f) => JSON.parse(f) as { type: string })
    .find((m) => m.type === 'joined');
  expect(JSON.stringify(joined)).toMatch(/"username":"\d+:[^"]+"/);
  expect(frames.join('\n')).not.toContain(turn.secret);
  const html = await (await fetch(server.url)).text();
  expect(html).not.toContain(turn.secret);

  // What the user can read: the tile's details say the call is relayed.
  await ana.getByTestId('quality').first().click();
  await expect(ana.getByTestId('quality-details').first()).toContainText(
    'relayed through TURN (UDP)',
  );
});

test('TURN over TCP works when that is all a network allows, and the panel says so', async ({
  startServer,
  newPerson,
}) => {
  requireBinary(CHROMIUM, 'Chromium');
  const turn = await startTurn();
  const server = await startServer({
    // Only the TCP transport is offered, as behind a firewall that blocks UDP.
    turnUrls: [`turn:127.0.0.1:${turn.port}?transport=tcp`],
    turnSecret: turn.secret,
    iceTransportPolicy: 'relay',
  });
  const ana = await newPerson();
  const bo = await newPerson();
  await ana.goto(roomLink(server, 'tcp-room', 'Ana'));
  await bo.goto(roomLink(server, 'tcp-room', 'Bo'));
  await expectPeople(ana, ['Ana', 'Bo']);
  await expectDecodingFromAll(ana, 1);
  await expectDecodingFromAll(bo, 1);
  expect(await selectedCandidateTypes(ana)).toEqual([{ local: 'relay', remote: 'relay' }]);
  await ana.getByTestId('quality').first().click();
  await expect(ana.getByTestId('quality-details').first()).toContainText(
    'relayed through TURN (TCP)',
  );
});
