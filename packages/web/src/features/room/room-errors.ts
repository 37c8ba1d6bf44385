import { ParleyError } from '@parley/client';

/** What the user is told when a call cannot start or cannot go on. */
export interface CallProblem {
  title: string;
  text: string;
  /** Whether trying the same room again can help. */
  retry: boolean;
  code: string;
}

/** Turn an SDK error into plain words with a way forward. */
export function describeCallError(error: Error): CallProblem {
  const code = error instanceof ParleyError ? error.code : 'unknown';
  switch (code) {
    case 'room_full':
      return {
        code,
        title: 'This room is full',
        text: 'It already has as many people as this server allows in one call. Try again when someone leaves, or start a new room.',
        retry: true,
      };
    case 'room_locked':
      return {
        code,
        title: 'The room is locked',
        text: 'Its host has locked it, so nobody new can join. Ask the host to unlock it, then try again.',
        retry: true,
      };
    case 'lobby_denied':
      return {
        code,
        title: 'The host did not let you in',
        text: 'You waited in the lobby and the host turned the request down.',
        retry: true,
      };
    case 'lobby_full':
      return {
        code,
        title: 'The lobby is full',
        text: 'Too many people are waiting to be let in. Try again in a moment.',
        retry: true,
      };
    case 'removed':
      return {
        code,
        title: 'You were removed from the room',
        text: 'The host removed you from the call.',
        retry: false,
      };
    case 'room_ended':
      return {
        code,
        title: 'The host ended the room',
        text: 'The call is over for everyone.',
        retry: false,
      };
    case 'connection_closed':
    case 'timeout':
    case 'closed':
      return {
        code: 'unreachable',
        title: 'Cannot reach the Parley server',
        text: 'Check your internet connection, or whether the server is running, then try again.',
        retry: true,
      };
    case 'overloaded':
    case 'rate_limited':
      return {
        code,
        title: 'The server is busy',
        text: 'It cannot take another call right now. Wait a moment and try again.',
        retry: true,
      };
    case 'too_many_connections':
      return {
        code,
        title: 'Too many connections from your network',
        text: 'Your network already has as many Parley connections open as this server allows from one place. Close Parley tabs you are not using, then try again.',
        retry: true,
      };
    case 'connect_rate_limited':
      return {
        code,
        title: 'Connecting too often',
        text: 'Your network opened many connections to this server in the last minute. Wait a minute, then try again.',
        retry: true,
      };
    case 'version_mismatch':
      return {
        code,
        title: 'Parley was updated',
        text: 'This page is older than the server. Reload the page to get the new version.',
        retry: false,
      };
    case 'bad_message':
      return {
        code,
        title: 'Could not join the room',
        text: `The server refused to let you in: ${error.message}. Check your name and the room link.`,
        retry: false,
      };
    default:
      return {
        code,
        title: 'Could not join the room',
        text: `Something went wrong (${error.message}). Try again; if it keeps happening, reload the page.`,
        retry: true,
      };
  }
}
