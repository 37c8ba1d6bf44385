import { CHROMIUM, requireBinary } from './env';
import { expect, expectPeople, test, tileOf } from './fixtures/parley';
import { expectDecodingFromAll, inboundVideoFrames } from './fixtures/stats';
import { serverProcess, type ServerProcess } from './fixtures/server-process';

let server: ServerProcess | null = null;
test.afterEach(async () => {
  await server?.dispose();
  server = null;
});

function link(s: ServerProcess, room: string, name: string): string {
  return `${s.url}/r/${room}?${new URLSearchParams({ name, audio: '1', video: '1' })}`;
}

test('the server is SIGKILLed mid-call: media keeps flowing, and after a restart both are back, able to chat, within 5 s', async ({
  newPerson,
}) => {
  test.setTimeout(120_000);
  requireBinary(CHROMIUM, 'Chromium');
  server = await serverProcess();
  const ana = await newPerson();
  const bo = await newPerson();
  await ana.goto(link(server, 'crash-room', 'Ana'));
  await bo.goto(link(server, 'crash-room', 'Bo'));
  await expectPeople(ana, ['Ana', 'Bo']);
  await expectPeople(bo, ['Ana', 'Bo']);
  await expectDecodingFromAll(ana, 1);
  await expectDecodingFromAll(bo, 1);

  await server.kill();
  // Both notice the signaling loss…
  await expect(ana.getByTestId('call')).toHaveAttribute('data-state', 'reconnecting');
  await expect(bo.getByTestId('call')).toHaveAttribute('data-state', 'reconnecting');
  // …and the call goes on peer to peer: frames keep decoding on both sides.
  await expectDecodingFromAll(ana, 1);
  await expectDecodingFromAll(bo, 1);

  await server.start();
  const restartedAt = Date.now();
  // The new server knows nobody: both clients rejoin the same room as new participants.
  await expect(ana.getByTestId('call')).toHaveAttribute('data-state', 'joined', { timeout: 5000 });
  await expect(bo.getByTestId('call')).toHaveAttribute('data-state', 'joined', { timeout: 5000 });
  await expectPeople(ana, ['Ana', 'Bo']);
  await expectPeople(bo, ['Ana', 'Bo']);
  const backAfterMs = Date.now() - restartedAt;
  console.log(`both back in the room ${backAfterMs} ms after the restart`);
  expect(backAfterMs).toBeLessThan(5000);

  // Signaling works again: a mic toggle crosses the new server.
  await expect(tileOf(bo, 'Ana')).toHaveAttribute('data-muted', 'false');
  await ana.getByRole('button', { name: 'Turn off microphone' }).click();
  await expect(tileOf(bo, 'Ana')).toHaveAttribute('data-muted', 'true');
  // And they can chat through the restarted server.
  await ana.getByTestId('panel-chat').click();
  await bo.getByTestId('panel-chat').click();
  await ana.getByTestId('chat-input').fill('back after the crash');
  await ana.getByTestId('chat-input').press('Enter');
  await expect(bo.getByTestId('chat-message').last()).toContainText('back after the crash');
  // And media flows on the new connections.
  await expectDecodingFromAll(ana, 1);
  await expectDecodingFromAll(bo, 1);
  expect(Object.keys(await inboundVideoFrames(bo))).toHaveLength(1);
});
