import type { ClientMessage, ServerMessage } from '@parley/protocol';
import type { UplinkBudgetOptions } from '../../bandwidth/uplink-plan.js';
import { Emitter } from '@parley/common';
import type { DataStream } from '../data-stream.js';
import type {
  Arrival,
  ConnectionState,
  LocalTracks,
  MediaTopology,
  TopologyContext,
  TopologyEvents,
  TrackKind,
} from '../media-topology.js';
import { ChannelStream } from './channel-stream.js';
import { nextLinkState } from './ice-restart.js';
import { MeshUplink } from './mesh-uplink.js';
import { PeerLink, isPolite, type SignalPayload } from './peer-link.js';

export interface MeshOptions {
  rtcConfig: RTCConfiguration;
  /** Deliver a signal to one participant (through the server). */
  sendSignal: (to: string, payload: SignalPayload) => void;
  tracks: LocalTracks;
  stream: MediaStream | null;
  /** Keep the sum of our video copies under a budget; off unless given. */
  uplinkBudget?: Partial<UplinkBudgetOptions> | false;
  /** Whether we yield to this participant on an offer collision; both ends must agree. */
  polite: (participantId: string) => boolean;
  RTCPeerConnection?: typeof RTCPeerConnection;
  iceRestartGraceMs?: number;
}

/** What the mesh keeps per participant: their link and what it told us. */
interface Peer {
  readonly link: PeerLink;
  state: ConnectionState;
  readonly tracks: Map<TrackKind, MediaStreamTrack>;
  readonly streams: Set<ChannelStream>;
}

/** The mesh for a room: signals to each participant travel as protocol `signal` messages. */
export function createMeshTopology(context: TopologyContext): MeshTopology {
  const { send, selfId, request: _request, mode: _mode, ...rest } = context;
  return new MeshTopology({
    ...rest,
    polite: (id) => isPolite(selfId, id),
    sendSignal: (to, payload) => send({ type: 'signal', to, ...payload } as ClientMessage),
  });
}

/**
 * Full mesh: one PeerLink (one RTCPeerConnection, perfect negotiation) per remote
 * participant. Each link restarts its own ICE after a break (ice-restart.ts); the mesh
 * turns link states into one ConnectionState per participant.
 */
export class MeshTopology extends Emitter<TopologyEvents> implements MediaTopology {
  private readonly peers = new Map<string, Peer>();
  private readonly tracks: LocalTracks;
  private rtcConfig: RTCConfiguration;
  private readonly uplink: MeshUplink | null;
  private closed = false;

  constructor(private readonly options: MeshOptions) {
    super();
    this.tracks = { ...options.tracks };
    this.rtcConfig = options.rtcConfig;
    this.uplink =
      options.uplinkBudget === undefined || options.uplinkBudget === false
        ? null
        : new MeshUplink(() => this.links(), options.uplinkBudget);
    this.uplink?.setSharing(Boolean(options.tracks.screen));
  }

  addParticipant(participantId: string, arrival: Arrival): void {
    if (this.closed || this.peers.has(participantId)) {
      return;
    }
    const { options } = this;
    const link = new PeerLink({
      remoteId: participantId,
      polite: options.polite(participantId),
      // The newcomer offers; the others wait for its offer (one round trip, no glare).
      initiator: arrival === 'present',
      rtcConfig: this.rtcConfig,
      sendSignal: (payload) => options.sendSignal(participantId, payload),
      tracks: this.tracks,
      stream: options.stream,
      ...(options.RTCPeerConnection ? { RTCPeerConnection: options.RTCPeerConnection } : {}),
      ...(options.iceRestartGraceMs === undefined
        ? {}
        : { iceRestartGraceMs: options.iceRestartGraceMs }),
    });
    const peer: Peer = { link, state: 'connecting', tracks: new Map(), streams: new Set() };
    this.peers.set(participantId, peer);
    this.listen(participantId, peer);
    void this.uplink?.apply();
  }

  private listen(id: string, peer: Peer): void {
    const { link } = peer;
    link.on('track', (track, kind) => {
      peer.tracks.set(kind, track);
      this.emit('track-added', id, track, kind);
    });
    // A screen m-line has encodings only once negotiated: cap it then.
    link.on('negotiated', () => void this.uplink?.apply());
    link.on('track-ended', (kind) => {
      if (peer.tracks.delete(kind)) {
        this.emit('track-removed', id, kind);
      }
    });
    link.on('connection-state', (rtcState) => {
      const state = nextLinkState(peer.state, rtcState);
      if (rtcState === 'connected') {
        // Senders have encodings only once negotiated: cap a link's as it connects.
        void this.uplink?.apply();
      }
      if (state !== peer.state) {
        peer.state = state;
        this.emit('connection-state', id, state);
      }
    });
    link.on('channel-open', () => this.emit('data-open', id));
    link.on('channel-message', (data) => this.emit('data', id, data));
    link.on('data-channel', (channel) => {
      const stream = this.track(peer, new ChannelStream(id, channel));
      this.emit('data-stream', id, stream);
    });
    link.on('error', (err) => this.emit('error', id, err));
  }

  private track(peer: Peer, stream: ChannelStream): ChannelStream {
    peer.streams.add(stream);
    stream.on('close', () => peer.streams.delete(stream));
    return stream;
  }

  removeParticipant(participantId: string): void {
    const peer = this.peers.get(participantId);
    if (!peer) {
      return;
    }
    this.peers.delete(participantId);
    this.drop(participantId, peer);
    // One copy fewer to upload: the others may send more again.
    void this.uplink?.apply();
  }

  /** Their streams close, their tracks go, then the link (which reports `closed`). */
  private drop(id: string, peer: Peer): void {
    for (const stream of [...peer.streams]) {
      stream.end();
    }
    for (const kind of peer.tracks.keys()) {
      this.emit('track-removed', id, kind);
    }
    peer.tracks.clear();
    peer.link.close();
  }

  handleMessage(message: ServerMessage): void {
    if (message.type === 'signal') {
      const payload = (
        message.description
          ? { description: message.description }
          : { candidate: message.candidate }
      ) as SignalPayload;
      this.handleSignal(message.from, payload);
    } else if (message.type === 'ice-servers') {
      this.setIceServers(message.iceServers as RTCIceServer[]);
    }
  }

  /** A signal from a participant; one we do not know (yet, or any more) is dropped. */
  handleSignal(from: string, payload: SignalPayload): void {
    void this.peers.get(from)?.link.handleSignal(payload);
  }

  publishTrack(kind: TrackKind, track: MediaStreamTrack): Promise<void> {
    return this.setTrack(kind, track);
  }

  unpublishTrack(kind: TrackKind): Promise<void> {
    return this.setTrack(kind, null);
  }

  private async setTrack(kind: TrackKind, track: MediaStreamTrack | null): Promise<void> {
    this.tracks[kind] = track;
    await Promise.all(this.links().map((l) => l.setTrack(kind, track)));
    if (kind === 'screen') {
      // The screen takes most of the video share while it is on (uplink-plan.ts).
      this.uplink?.setSharing(track !== null);
      await this.uplink?.apply();
    }
  }

  sendData(data: string | ArrayBuffer, to?: string): void {
    if (to !== undefined) {
      this.peers.get(to)?.link.sendData(data);
      return;
    }
    for (const link of this.links()) {
      link.sendData(data);
    }
  }

  canSendData(participantId: string): boolean {
    return Boolean(this.peers.get(participantId)?.link.dataChannel);
  }

  openDataStream(participantId: string, label: string): DataStream | null {
    const peer = this.peers.get(participantId);
    if (!peer || peer.state === 'closed') {
      return null;
    }
    return this.track(peer, new ChannelStream(participantId, peer.link.openChannel(label)));
  }

  connectionState(participantId: string): ConnectionState | null {
    return this.peers.get(participantId)?.state ?? null;
  }

  async getStats(participantId: string): Promise<RTCStatsReport | null> {
    const peer = this.peers.get(participantId);
    if (!peer || peer.state === 'closed') {
      return null;
    }
    try {
      return await peer.link.getStats();
    } catch {
      // Closed while the stats were being gathered.
      return null;
    }
  }

  audioLevel(participantId: string): number | null {
    return this.peers.get(participantId)?.link.audioLevel() ?? null;
  }

  restartIce(participantId: string): void {
    this.peers.get(participantId)?.link.restartIce();
  }

  /** Everyone sends us their one encoding: no layers to choose in a mesh. */
  setLayer(): boolean {
    return false;
  }

  /** Each peer sends its video straight to us: nothing in between to stop it. */
  setVideoPaused(): boolean {
    return false;
  }

  async setUplinkBudget(budgetBps: number): Promise<void> {
    await this.uplink?.setBudget(budgetBps);
  }

  private setIceServers(servers: RTCIceServer[]): void {
    this.rtcConfig = { ...this.rtcConfig, iceServers: servers };
    for (const link of this.links()) {
      try {
        link.pc.setConfiguration(this.rtcConfig);
      } catch {
        /* some implementations refuse changes they consider unsafe; new links get it */
      }
    }
  }

  private links(): PeerLink[] {
    return [...this.peers.values()].map((p) => p.link);
  }

  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    for (const [id, peer] of this.peers) {
      this.drop(id, peer);
    }
    this.peers.clear();
    this.removeAllListeners();
  }
}
