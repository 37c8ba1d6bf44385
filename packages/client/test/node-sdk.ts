/**
 * The SDK in Node for integration tests: `ws` for the socket and @roamhq/wrtc for
 * peer connections, against a real server.
 */
import wrtc from '@roamhq/wrtc';
import WebSocket from 'ws';
import { Room } from '../src/room.js';
import {
  SignalingClient,
  type SignalingOptions,
  type WebSocketLike,
} from '../src/signaling-client.js';

/** A signaling client over the `ws` package. */
export function nodeSignaling(
  url: string | readonly string[],
  options: Omit<SignalingOptions, 'url' | 'createSocket'> = {},
): SignalingClient {
  return new SignalingClient({
    url,
    createSocket: (u) => new WebSocket(u) as unknown as WebSocketLike,
    ...options,
  });
}

/** A Room whose peer connections are wrtc's. */
export function nodeRoom(signaling: SignalingClient): Room {
  return new Room(signaling, {
    RTCPeerConnection: wrtc.RTCPeerConnection as unknown as typeof RTCPeerConnection,
  });
}

/**
 * wrtc's RTCPeerConnection, keeping each one made in `made`: tests may look at the
 * connections (as the e2e tests do through window.__pcs); the SDK never shows them.
 */
export function trackedPeerConnections(): {
  RTCPeerConnection: typeof RTCPeerConnection;
  made: RTCPeerConnection[];
} {
  const made: RTCPeerConnection[] = [];
  class Tracked extends wrtc.RTCPeerConnection {
    constructor(config?: RTCConfiguration) {
      super(config);
      made.push(this as unknown as RTCPeerConnection);
    }
  }
  return { RTCPeerConnection: Tracked as unknown as typeof RTCPeerConnection, made };
}

/**
 * The Rooms a test file makes, to close after each test (`closeAll` in `afterEach`):
 * each room and its signaling socket, so no test leaks connections into the next.
 */
export function roomPool(): { add(room: Room): Room; closeAll(): void } {
  const rooms: Room[] = [];
  return {
    add(room) {
      rooms.push(room);
      return room;
    },
    closeAll() {
      for (const r of rooms.splice(0)) {
        r.close();
        r.signaling.close();
      }
    },
  };
}
