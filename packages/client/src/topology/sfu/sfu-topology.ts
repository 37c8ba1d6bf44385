import type { MediaState, ServerMessage } from '@parley/protocol';
import { Emitter } from '@parley/common';
import type { DataStream } from '../data-stream.js';
import type {
  ConnectionState,
  MediaTopology,
  SimulcastLayer,
  TopologyContext,
  TopologyEvents,
  TrackKind,
} from '../media-topology.js';
import { ServerDataPath } from '../server-data/index.js';
import { SfuPublisher } from './sfu-publisher.js';
import { sfuSignals, type SfuSignals } from './sfu-signals.js';
import { SfuSubscriber } from './sfu-subscriber.js';

/**
 * How long the download (and the upload) may stay `disconnected` before restarting ICE
 * by itself (ms).
 */
export const SFU_RESTART_GRACE_MS = 15_000;

/** What the SFU topology keeps per participant: what it last told the room. */
interface Peer {
  state: ConnectionState;
  readonly tracks: Map<TrackKind, MediaStreamTrack>;
}

/** A room through the SFU: its messages go to the server as `sfu-*` (docs/PROTOCOL.md). */
export function createSfuTopology(context: TopologyContext): SfuTopology {
  if (!context.request) {
    throw new Error('the SFU topology needs TopologyContext.request');
  }
  return new SfuTopology(context, sfuSignals(context.send, context.request));
}

/**
 * Media through Janus (docs/SFU.md): one publisher connection carries our tracks up, one
 * subscriber connection carries everyone else's down, both negotiated through Parley's
 * server. A participant is `connected` when the subscriber connection is and it carries
 * at least one of their streams, or at once when the server says they send nothing
 * (mic and camera off: nothing of theirs will come through Janus, so there is nothing
 * to wait for, and "connecting" would last for ever). Data (reactions, files) goes through Parley's server,
 * not Janus (`room-data`, docs/SFU.md); a participant can be reached as soon as they are
 * in the room, whatever their media is doing.
 */
export class SfuTopology extends Emitter<TopologyEvents> implements MediaTopology {
  private readonly publisher: SfuPublisher;
  private readonly subscriber: SfuSubscriber;
  private readonly peers = new Map<string, Peer>();
  /** The simulcast layer asked for each participant's video (sent again after each negotiation). */
  private readonly layers = new Map<string, SimulcastLayer>();
  /** Participants whose video we asked the server to stop sending (sent again likewise). */
  private readonly paused = new Set<string>();
  /** Participants whose media state says they send nothing (`setMediaState`). */
  private readonly silent = new Set<string>();
  /** Everyone's tracks as of the last subscriber negotiation, known to the room or not. */
  private received: ReadonlyMap<string, ReadonlyMap<TrackKind, MediaStreamTrack>> = new Map();
  private subscriberUp = false;
  private subscriberBroke = false;
  private noDataReported = false;
  /** Null when the server relays no data (a server older than `room-data`). */
  private readonly data: ServerDataPath | null;
  private closed = false;

  constructor(
    private readonly context: TopologyContext,
    private readonly signals: SfuSignals,
  ) {
    super();
    const PC = context.RTCPeerConnection ?? globalThis.RTCPeerConnection;
    const graceMs = context.iceRestartGraceMs ?? SFU_RESTART_GRACE_MS;
    this.publisher = new SfuPublisher({
      RTCPeerConnection: PC,
      rtcConfig: context.rtcConfig,
      signals,
      tracks: { ...context.tracks },
      stream: context.stream,
      uplinkBudget: context.uplinkBudget,
      iceRestartGraceMs: graceMs,
    });
    // The download waits longer than a mesh link before restarting by itself: with eight
    // browsers on two loaded cores its consent checks lapse for seconds at a time, and a
    // restart then renegotiates every stream at the worst moment (seen in CI).
    this.subscriber = new SfuSubscriber(PC, context.rtcConfig, signals, graceMs);
    this.data = context.dataLimits
      ? new ServerDataPath(context.send, context.dataLimits, () => this.peers.size, {
          data: (from, data) => this.emit('data', from, data),
          stream: (from, stream) => this.emit('data-stream', from, stream),
        })
      : null;
    this.publisher.on('error', (err) => this.emit('error', context.selfId, err));
    this.subscriber.on('error', (err) => this.emit('error', context.selfId, err));
    this.subscriber.on('tracks', (tracks) => {
      this.received = tracks;
      for (const id of this.peers.keys()) {
        this.sync(id);
      }
    });
    // A layer chosen before Janus took our answer (or before a renegotiation) may not
    // stick: say it again once the subscription is live.
    this.subscriber.on('negotiated', () => {
      for (const [id, layer] of this.layers) {
        if (this.received.get(id)?.has('video')) {
          signals.layer(id, layer);
        }
      }
      for (const id of this.paused) {
        if (this.received.get(id)?.has('video')) {
          signals.pause(id, true);
        }
      }
    });
    this.subscriber.on('connection-state', (state) => {
      if (state === 'connected') {
        this.subscriberUp = true;
        this.subscriberBroke = false;
      } else if (state === 'disconnected' || state === 'failed') {
        this.subscriberBroke = this.subscriberUp;
      }
      for (const id of this.peers.keys()) {
        this.updateState(id);
      }
    });
    void this.publisher.publish();
  }

  /** Whether our video goes up in three simulcast layers. */
  get simulcast(): boolean {
    return this.publisher.simulcast;
  }

  addParticipant(participantId: string): void {
    if (this.closed || this.peers.has(participantId)) {
      return;
    }
    this.peers.set(participantId, { state: 'connecting', tracks: new Map() });
    this.sync(participantId);
    if (this.data) {
      // After the room has told its listeners about them (it adds, then announces).
      queueMicrotask(() => {
        if (this.peers.has(participantId)) {
          this.emit('data-open', participantId);
        }
      });
    }
  }

  removeParticipant(participantId: string): void {
    const peer = this.peers.get(participantId);
    if (!peer) {
      return;
    }
    this.peers.delete(participantId);
    this.silent.delete(participantId);
    this.layers.delete(participantId);
    this.data?.removeParticipant(participantId);
    this.paused.delete(participantId);
    for (const kind of peer.tracks.keys()) {
      this.emit('track-removed', participantId, kind);
    }
    if (peer.state !== 'closed') {
      this.emit('connection-state', participantId, 'closed');
    }
  }

  setMediaState(participantId: string, media: MediaState): void {
    if (media.audio || media.video) {
      this.silent.delete(participantId);
    } else {
      this.silent.add(participantId);
    }
    this.updateState(participantId);
  }

  /** Tell the room what changed in one participant's tracks, then their state. */
  private sync(id: string): void {
    const peer = this.peers.get(id);
    if (!peer) {
      return;
    }
    const now = this.received.get(id) ?? new Map<TrackKind, MediaStreamTrack>();
    for (const kind of [...peer.tracks.keys()]) {
      if (!now.has(kind)) {
        peer.tracks.delete(kind);
        this.emit('track-removed', id, kind);
      }
    }
    for (const [kind, track] of now) {
      if (peer.tracks.get(kind) !== track) {
        peer.tracks.set(kind, track);
        this.emit('track-added', id, track, kind);
      }
    }
    this.updateState(id);
  }

  private updateState(id: string): void {
    const peer = this.peers.get(id);
    if (!peer) {
      return;
    }
    const state: ConnectionState = this.silent.has(id)
      ? 'connected'
      : this.subscriberBroke
        ? 'reconnecting'
        : this.subscriber.connectionState === 'connected' && peer.tracks.size > 0
          ? 'connected'
          : 'connecting';
    if (state !== peer.state) {
      peer.state = state;
      this.emit('connection-state', id, state);
    }
  }

  handleMessage(message: ServerMessage): void {
    if (message.type === 'room-data') {
      this.data?.handle(message);
    } else if (message.type === 'error' && message.of === 'room-data') {
      this.data?.handleError(message);
    } else if (message.type === 'sfu-offer') {
      void this.subscriber.handleOffer(message.jsep.sdp, message.streams);
    } else if (message.type === 'ice-servers') {
      const config = {
        ...this.context.rtcConfig,
        iceServers: message.iceServers as RTCIceServer[],
      };
      this.publisher.setConfiguration(config);
      this.subscriber.setConfiguration(config);
    }
  }

  /** A screen share renegotiates the upload (sfu-publisher.ts); mic and camera do not. */
  publishTrack(kind: TrackKind, track: MediaStreamTrack): Promise<void> {
    return this.publisher.setTrack(kind, track);
  }

  unpublishTrack(kind: TrackKind): Promise<void> {
    return this.publisher.setTrack(kind, null);
  }

  /** The server relays no data: said once, as an error. */
  private noData(participantId: string): void {
    if (!this.noDataReported) {
      this.noDataReported = true;
      this.emit(
        'error',
        participantId,
        new Error('this server does not relay data (files, reactions) for rooms through the SFU'),
      );
    }
  }

  /** Through the server; throws a ParleyError `too_large` over its size limit. */
  sendData(data: string | ArrayBuffer, to?: string): void {
    if (this.closed || (to !== undefined && !this.peers.has(to))) {
      return;
    }
    if (!this.data) {
      this.noData(to ?? this.context.selfId);
      return;
    }
    this.data.sendData(data, to);
  }

  canSendData(participantId: string): boolean {
    return !this.closed && this.data !== null && this.peers.has(participantId);
  }

  openDataStream(participantId: string, label: string): DataStream | null {
    if (this.closed || !this.peers.has(participantId)) {
      return null;
    }
    if (!this.data) {
      this.noData(participantId);
      return null;
    }
    return this.data.openStream(participantId, label);
  }

  connectionState(participantId: string): ConnectionState | null {
    return this.peers.get(participantId)?.state ?? null;
  }

  /**
   * Their inbound streams (and everything of the subscriber connection that is not
   * someone else's inbound RTP: transport, candidate pair, codecs), plus our outbound
   * RTP from the publisher under keys of its own (`publisher:<id>`).
   */
  async getStats(participantId: string): Promise<RTCStatsReport | null> {
    if (this.closed || !this.peers.has(participantId)) {
      return null;
    }
    try {
      const theirs = this.subscriber.receivers(participantId);
      const mids = new Set(theirs.map((r) => r.mid));
      const trackIds = new Set(theirs.map((r) => r.receiver.track.id));
      const [down, up] = await Promise.all([
        this.subscriber.getStats(),
        this.publisher.pc.getStats(),
      ]);
      const out = new Map<string, RTCStats>();
      down?.forEach((s: RTCStats & { mid?: string; trackIdentifier?: string }) => {
        if (s.type !== 'inbound-rtp') {
          out.set(s.id, s);
        } else if (
          (s.mid !== undefined && mids.has(s.mid)) ||
          (s.trackIdentifier !== undefined && trackIds.has(s.trackIdentifier))
        ) {
          out.set(s.id, s);
        }
      });
      up.forEach((s: RTCStats) => {
        if (['outbound-rtp', 'remote-inbound-rtp', 'media-source'].includes(s.type)) {
          out.set(`publisher:${s.id}`, s);
        }
      });
      return out as unknown as RTCStatsReport;
    } catch {
      return null;
    }
  }

  audioLevel(participantId: string): number | null {
    const audio = this.subscriber.receivers(participantId).find((r) => r.kind === 'audio');
    return audio?.receiver.getSynchronizationSources()[0]?.audioLevel ?? null;
  }

  /**
   * Restart ICE on both connections: our upload makes a new offer with new credentials
   * (`sfu-publish`), and the download asks Janus for one (`sfu-restart`). The download
   * also restarts by itself after a break (SfuSubscriber).
   */
  restartIce(): void {
    if (!this.closed) {
      void this.publisher.publish(true);
      this.subscriber.restartIce();
    }
  }

  setVideoPaused(participantId: string, paused: boolean): boolean {
    if (this.closed || !this.received.get(participantId)?.has('video')) {
      return false;
    }
    if (paused) {
      this.paused.add(participantId);
    } else {
      this.paused.delete(participantId);
    }
    this.signals.pause(participantId, paused);
    return true;
  }

  setLayer(participantId: string, layer: SimulcastLayer): boolean {
    if (this.closed || !this.peers.has(participantId)) {
      return false;
    }
    // Kept even before their video comes, and sent once a negotiation brings it: the app
    // asks when the tile appears, and if no later render asks again, Janus would forward
    // its default, the top layer, for good (seen in e2e: a small tile received 960 wide).
    this.layers.set(participantId, layer);
    if (!this.received.get(participantId)?.has('video')) {
      return false;
    }
    this.signals.layer(participantId, layer);
    return true;
  }

  setUplinkBudget(budgetBps: number): Promise<void> {
    return this.publisher.setBudget(budgetBps);
  }

  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    for (const id of [...this.peers.keys()]) {
      this.removeParticipant(id);
    }
    this.data?.close();
    this.publisher.close();
    this.subscriber.close();
    this.removeAllListeners();
  }
}
