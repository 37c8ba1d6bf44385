import { afterEach, expect, it } from 'vitest';
import type { ParleyServer } from '../../server/src/app.js';
import { startServer } from '../../server/test/helpers.js';
import type { ParleyError } from '../src/errors.js';
import type { Room } from '../src/room.js';
import { nodeRoom, nodeSignaling, roomPool } from './node-sdk.js';
import { until } from './until.js';

/** Host controls through the SDK (`room.hosting`) against a real server. */
let server: ParleyServer;
const rooms = roomPool();
afterEach(async () => {
  rooms.closeAll();
  await server?.close();
});

function newRoom(): Room {
  return rooms.add(nodeRoom(nodeSignaling(server.wsUrl)));
}

it('a lobby join waits, without the request timeout, until the host admits it', async () => {
  server = await startServer();
  const host = newRoom();
  const keys: string[] = [];
  host.hosting.on('host-key', (k) => keys.push(k));
  await host.join('sdk-lobby', { name: 'Hana' });
  expect(host.hosting.isHost).toBe(true);
  expect(keys).toHaveLength(1);
  await host.hosting.setLobby(true);
  expect(host.hosting.access).toEqual({ locked: false, lobby: true, password: false });

  const guest = newRoom();
  let waited = false;
  guest.on('lobby-waiting', () => (waited = true));
  const joined = guest.join('sdk-lobby', { name: 'Gus' });
  await until(() => host.hosting.waiters.length === 1);
  expect(waited).toBe(true);
  expect(guest.waitingInLobby).toBe(true);
  expect(guest.state).toBe('joining');
  await host.hosting.answer(host.hosting.waiters[0]?.id as string, true);
  await joined;
  expect(guest.state).toBe('joined');
  expect(guest.hosting.isHost).toBe(false);
  expect(guest.hosting.hostId).toBe(host.selfId);
  // Not the host: the SDK says so before asking, and the server would refuse anyway.
  await expect(guest.hosting.setLocked(true)).rejects.toMatchObject({ code: 'not_host' });
});

it('a removed participant is told, leaves, and the others see them go', async () => {
  server = await startServer();
  const host = newRoom();
  const other = newRoom();
  await host.join('sdk-remove', { name: 'Hana' });
  await other.join('sdk-remove', { name: 'Ola' });
  const errors: string[] = [];
  other.on('error', (e) => errors.push((e as ParleyError).code));
  const muted: string[] = [];
  other.on('mute-requested', (by) => muted.push(by?.name ?? '?'));
  await until(() => host.participants.length === 1);
  host.hosting.askToMute(other.selfId as string);
  await until(() => muted.length === 1);
  expect(muted).toEqual(['Hana']);
  const gone: string[] = [];
  host.on('participant-left', (p, reason) => gone.push(`${p.name}:${reason}`));
  host.hosting.remove(other.selfId as string);
  await until(() => other.state === 'left' && gone.length === 1);
  expect(errors).toEqual(['removed']);
  expect(gone).toEqual(['Ola:removed']);
});

it('a wrong password rejects the join with its code; the right one joins', async () => {
  server = await startServer();
  const host = newRoom();
  await host.join('sdk-pw', { name: 'Hana' });
  await host.hosting.setPassword('hunter2');
  const guest = newRoom();
  await expect(guest.join('sdk-pw', { name: 'Gus', password: 'hunter3' })).rejects.toMatchObject({
    code: 'wrong_password',
  });
  expect(guest.state).toBe('idle');
  await guest.join('sdk-pw', { name: 'Gus', password: 'hunter2' });
  expect(guest.hosting.access.password).toBe(true);
});
