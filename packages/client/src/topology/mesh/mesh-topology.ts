import { PeerLink, isPolite, type MediaKind, type SignalPayload } from './peer-link.js';
import type { MediaTopology, TopologyListener } from '../media-topology.js';

export interface MeshOptions {
  selfId: string;
  rtcConfig: RTCConfiguration;
  sendSignal: (to: string, payload: SignalPayload) => void;
  tracks: { audio: MediaStreamTrack | null; video: MediaStreamTrack | null };
  stream: MediaStream | null;
  listener: TopologyListener;
  RTCPeerConnection?: typeof RTCPeerConnection;
  iceRestartGraceMs?: number;
}

/** Full mesh: one PeerLink per remote participant. */
export class MeshTopology implements MediaTopology {
  private readonly peers = new Map<string, PeerLink>();
  private readonly tracks: MeshOptions['tracks'];
  private rtcConfig: RTCConfiguration;
  private closed = false;

  constructor(private readonly options: MeshOptions) {
    this.tracks = { ...options.tracks };
    this.rtcConfig = options.rtcConfig;
  }

  addPeer(peerId: string, initiator: boolean): void {
    if (this.closed || this.peers.has(peerId)) {
      return;
    }
    const { listener } = this.options;
    const link = new PeerLink({
      remoteId: peerId,
      polite: isPolite(this.options.selfId, peerId),
      initiator,
      rtcConfig: this.rtcConfig,
      sendSignal: (payload) => this.options.sendSignal(peerId, payload),
      tracks: this.tracks,
      stream: this.options.stream,
      ...(this.options.RTCPeerConnection
        ? { RTCPeerConnection: this.options.RTCPeerConnection }
        : {}),
      ...(this.options.iceRestartGraceMs === undefined
        ? {}
        : { iceRestartGraceMs: this.options.iceRestartGraceMs }),
    });
    link.on('track', (track, kind) => listener.onTrack(peerId, track, kind));
    link.on('connection-state', (state) => listener.onConnectionState(peerId, state));
    link.on('channel-message', (data) => listener.onData(peerId, data));
    link.on('channel-open', () => listener.onChannelOpen(peerId));
    link.on('error', (err) => listener.onError(peerId, err));
    this.peers.set(peerId, link);
  }

  removePeer(peerId: string): void {
    this.peers.get(peerId)?.close();
    this.peers.delete(peerId);
  }

  async handleSignal(peerId: string, payload: SignalPayload): Promise<void> {
    let link = this.peers.get(peerId);
    if (!link) {
      // A signal can overtake peer-joined only if the server reorders; be lenient.
      this.addPeer(peerId, false);
      link = this.peers.get(peerId);
    }
    await link?.handleSignal(payload);
  }

  async setTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
    this.tracks[kind] = track;
    await Promise.all([...this.peers.values()].map((l) => l.setTrack(kind, track)));
  }

  sendData(data: string | ArrayBuffer, peerId?: string): void {
    if (peerId !== undefined) {
      this.peers.get(peerId)?.sendData(data);
      return;
    }
    for (const link of this.peers.values()) {
      link.sendData(data);
    }
  }

  link(peerId: string): PeerLink | undefined {
    return this.peers.get(peerId);
  }

  links(): PeerLink[] {
    return [...this.peers.values()];
  }

  setIceServers(servers: RTCIceServer[]): void {
    this.rtcConfig = { ...this.rtcConfig, iceServers: servers };
    for (const link of this.peers.values()) {
      try {
        link.pc.setConfiguration(this.rtcConfig);
      } catch {
        /* some implementations refuse changes they consider unsafe; new links get it */
      }
    }
  }

  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    for (const link of this.peers.values()) {
      link.close();
    }
    this.peers.clear();
  }
}
