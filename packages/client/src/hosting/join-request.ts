import type { ClientMessageInput, ServerMessageMap } from '@parley/protocol';
import { ParleyError } from '../errors.js';
import { timeoutOnceOpen } from '../open-timeout.js';
import type { SignalingClient } from '../signaling-client.js';

let joinCounter = 0;

/**
 * Send a `join` and wait for its `joined`. Unlike a plain request it may wait for as long
 * as the room's lobby holds us: `lobby-waiting` (same `rid`) stops the timeout and calls
 * `onWaiting`; the host's admission is the `joined`, a refusal the `error`, and an ended
 * room `room-closed`.
 *
 * The timeout counts from the moment the socket is open: a join queued behind `hello`
 * (one round trip) must not spend its time on connecting, which `connect()` bounds on
 * its own. On a busy machine the socket alone once took most of the 10 s.
 */
export function requestJoin(
  signaling: SignalingClient,
  message: Extract<ClientMessageInput, { type: 'join' }>,
  onWaiting: () => void,
  timeoutMs = 10_000,
): Promise<ServerMessageMap['joined']> {
  const rid = `join${++joinCounter}`;
  return new Promise((resolve, reject) => {
    let waiting = false;
    // Stopped for good by `lobby-waiting`: the lobby may hold us as long as the host likes.
    const cancelTimeout = timeoutOnceOpen(signaling, timeoutMs, () => {
      done();
      reject(new ParleyError('timeout', 'no answer to "join" from the server'));
    });
    const done = (): void => {
      cancelTimeout();
      off();
      offState();
      offLost();
    };
    const offState = signaling.on('state', (s) => {
      if (s === 'closed') {
        done();
        reject(new ParleyError('closed', 'the connection was closed'));
      }
    });
    // Our lobby place went with the old session: the server forgot it.
    const offLost = signaling.on('session-lost', () => {
      done();
      reject(new ParleyError('resume_failed', 'the connection dropped while waiting; join again'));
    });
    const off = signaling.on('message', (m) => {
      if (m.type === 'room-closed' && waiting && m.room === message.room) {
        done();
        reject(new ParleyError('room_ended', 'the host ended the room'));
        return;
      }
      if (!('rid' in m) || m.rid !== rid) {
        return;
      }
      if (m.type === 'lobby-waiting') {
        waiting = true;
        cancelTimeout();
        onWaiting();
      } else if (m.type === 'joined') {
        done();
        resolve(m);
      } else if (m.type === 'error') {
        done();
        reject(new ParleyError(m.code, m.message));
      }
    });
    signaling.send({ ...message, rid });
  });
}
