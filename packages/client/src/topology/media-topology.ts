import type { MediaKind, PeerLink, SignalPayload } from './mesh/peer-link.js';

/** What the topology reports back to the room about each remote participant. */
export interface TopologyListener {
  onTrack(peerId: string, track: MediaStreamTrack, kind: MediaKind): void;
  onConnectionState(peerId: string, state: RTCPeerConnectionState): void;
  onData(peerId: string, data: string | ArrayBuffer): void;
  onChannelOpen(peerId: string): void;
  onError(peerId: string, error: Error): void;
}

/**
 * How media reaches the other participants. Mesh today (one PeerLink per peer); an
 * SFU topology would implement the same interface with one connection to the server,
 * and rooms, chat and the UI would not change.
 */
export interface MediaTopology {
  /** A participant appeared; `initiator` is true when we are the newcomer. */
  addPeer(peerId: string, initiator: boolean): void;
  removePeer(peerId: string): void;
  /** A signal for `peerId` arrived from the server. */
  handleSignal(peerId: string, payload: SignalPayload): Promise<void>;
  /** Send `track` (or nothing) on every connection for that kind. */
  setTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void>;
  /** Send on the data channel to one peer, or to all when `peerId` is omitted. */
  sendData(data: string | ArrayBuffer, peerId?: string): void;
  /** The link to one peer, for stats and tuning (mesh only). */
  link(peerId: string): PeerLink | undefined;
  links(): PeerLink[];
  /** Replace ICE servers (fresh TURN credentials) for connections made from now on. */
  setIceServers(servers: RTCIceServer[]): void;
  close(): void;
}
