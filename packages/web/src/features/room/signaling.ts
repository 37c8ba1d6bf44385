import { SignalingClient, type WebSocketLike } from '@parley/client';
import { takeEarlySocket } from '../../app/early-start';

/** ws(s)://<this host>/ws: the server that served the page is the signaling server. */
export function signalingUrl(query = ''): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws${query}`;
}

/** The signaling client of a call; its first socket may already be open (app/early-start.ts). */
export function createSignaling(): SignalingClient {
  return new SignalingClient({
    url: signalingUrl(),
    createSocket: (url) => (takeEarlySocket(url) ?? new WebSocket(url)) as unknown as WebSocketLike,
  });
}
