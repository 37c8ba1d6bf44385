import type { MediaState, PeerInfo, ServerMessage, ServerMessageMap } from '@parley/protocol';
import { Emitter } from './emitter.js';
import { ParleyError } from './errors.js';
import { MeshTopology } from './topology/mesh/mesh-topology.js';
import type { PeerLinkState } from './topology/mesh/ice-restart.js';
import { participantEvents, roomRtcConfig } from './room-links.js';
import { UplinkBudget } from './topology/mesh/mesh-uplink.js';
import type { UplinkBudgetOptions } from './bandwidth/uplink-plan.js';
import type { MediaKind, SignalPayload } from './topology/mesh/peer-link.js';
import type { SignalingClient } from './signaling-client.js';
import type { MediaTopology, TopologyListener } from './topology/media-topology.js';

/** Where this client is in the room's lifecycle. */
export type RoomState = 'idle' | 'joining' | 'joined' | 'reconnecting' | 'left';

/** A remote participant, as the UI needs it. */
export interface Participant {
  readonly id: string;
  readonly name: string;
  media: MediaState;
  /** The peer connection's state (media path), independent of signaling. */
  connection: RTCPeerConnectionState;
  /** The media path as a user sees it: `reconnecting` while ICE recovers from a break. */
  link: PeerLinkState;
  tracks: { audio?: MediaStreamTrack; video?: MediaStreamTrack };
}

export type RoomEvents = {
  /** The room state changed. */
  state: [state: RoomState];
  /** Someone joined (or was present when we joined). */
  'participant-joined': [participant: Participant];
  /** Someone left; `reason` says whether they chose to or timed out. */
  'participant-left': [participant: Participant, reason: 'left' | 'timeout' | 'replaced'];
  /** A remote track arrived for a participant. */
  track: [participant: Participant, track: MediaStreamTrack, kind: MediaKind];
  /** A participant turned mic/camera/screen on or off. */
  'media-state': [participant: Participant, media: MediaState];
  /** The media connection to a participant changed state. */
  'connection-state': [participant: Participant, state: RTCPeerConnectionState];
  /** The media path to a participant changed (connecting, connected, reconnecting, closed). */
  'link-state': [participant: Participant, state: PeerLinkState];
  /** A message on the data channel from a participant. */
  data: [participant: Participant, data: string | ArrayBuffer];
  /** The data channel to a participant opened. */
  'channel-open': [participant: Participant];
  /** Something went wrong that the user may need to know about. */
  error: [error: ParleyError | Error];
};

export interface JoinOptions {
  name: string;
  /** What we send, by kind; null sends nothing on that kind. */
  tracks?: { audio: MediaStreamTrack | null; video: MediaStreamTrack | null };
  /** The stream the tracks belong to. */
  stream?: MediaStream | null;
  /** Announced mic/camera state; defaults to "on" for each track given. */
  media?: MediaState;
}

export interface RoomOptions {
  /** Extra RTCConfiguration (e.g. iceTransportPolicy: 'relay'); iceServers come from the server. */
  rtcConfig?: Omit<RTCConfiguration, 'iceServers'>;
  /** Inject an RTCPeerConnection implementation (Node tests use @roamhq/wrtc). */
  RTCPeerConnection?: typeof RTCPeerConnection;
  /** How long a peer connection may stay `disconnected` before ICE restarts (default 4000 ms). */
  iceRestartGraceMs?: number;
  /** Uplink budget for video in the mesh (default 2.5 Mbps in total); false leaves senders alone. */
  uplinkBudget?: Partial<UplinkBudgetOptions> | false;
  /** Build a different media topology (an SFU later); mesh by default. */
  createTopology?: (
    selfId: string,
    rtcConfig: RTCConfiguration,
    listener: TopologyListener,
    send: (to: string, payload: SignalPayload) => void,
    local: Required<Pick<JoinOptions, 'tracks' | 'stream'>>,
  ) => MediaTopology;
}

/**
 * A call room: who is in it, their media, and a media topology that connects us to
 * them. Survives a signaling drop: the server keeps our seat and the peer connections
 * stay up; if the seat was lost, the room rejoins as new.
 */
export class Room extends Emitter<RoomEvents> {
  private _state: RoomState = 'idle';
  private roomId: string | null = null;
  private _selfId: string | null = null;
  private topology: MediaTopology | null = null;
  private readonly people = new Map<string, Participant>();
  private joinOptions: JoinOptions | null = null;
  private media: MediaState = { audio: false, video: false };
  private readonly unsubscribe: Array<() => void> = [];
  /** Keeps the sum of our video copies under the uplink budget (null when disabled). */
  readonly uplink: UplinkBudget | null;

  constructor(
    readonly signaling: SignalingClient,
    private readonly options: RoomOptions = {},
  ) {
    super();
    this.uplink =
      options.uplinkBudget === false
        ? null
        : new UplinkBudget(() => this.topology?.links() ?? [], options.uplinkBudget ?? {});
    this.unsubscribe.push(
      signaling.on('message', (m) => this.onMessage(m)),
      signaling.on('state', (s) => {
        if (s === 'reconnecting' && this._state === 'joined') {
          this.setState('reconnecting');
        }
      }),
      signaling.on('resumed', () => {
        if (this._state === 'reconnecting') {
          this.setState('joined');
        }
      }),
      signaling.on('session-lost', () => void this.rejoin()),
      signaling.on('failed', (err) => {
        this.emit('error', err);
        this.teardown();
        this.setState('left');
      }),
    );
  }

  get state(): RoomState {
    return this._state;
  }
  /** Our peer id in the room, once joined. */
  get selfId(): string | null {
    return this._selfId;
  }
  get id(): string | null {
    return this.roomId;
  }
  get participants(): Participant[] {
    return [...this.people.values()];
  }
  participant(id: string): Participant | undefined {
    return this.people.get(id);
  }
  /** The media topology (mesh): per-peer links for stats and tuning. */
  get mediaTopology(): MediaTopology | null {
    return this.topology;
  }

  private setState(state: RoomState): void {
    if (this._state !== state) {
      this._state = state;
      this.emit('state', state);
    }
  }

  /** Join `roomId`. Rejects with a ParleyError (e.g. code `room_full`). */
  async join(roomId: string, options: JoinOptions): Promise<void> {
    if (this._state === 'joining' || this._state === 'joined' || this._state === 'reconnecting') {
      throw new ParleyError('already_joined', 'already in a room');
    }
    this.roomId = roomId;
    this.joinOptions = options;
    const tracks = options.tracks ?? { audio: null, video: null };
    this.media = options.media ?? { audio: Boolean(tracks.audio), video: Boolean(tracks.video) };
    this.setState('joining');
    try {
      await this.signaling.connect();
      const announced = this.media;
      const joined = await this.signaling.request(
        { type: 'join', room: roomId, name: options.name, media: announced },
        'joined',
      );
      this.onJoined(joined);
      // Muted or camera turned off while the join was on its way: tell the room now.
      if (this.media !== announced) {
        this.signaling.send({ type: 'media-state', media: this.media });
      }
    } catch (err) {
      this.setState('idle');
      throw err;
    }
  }

  private onJoined(joined: ServerMessageMap['joined']): void {
    const opts = this.joinOptions as JoinOptions;
    this._selfId = joined.self;
    // The server's budget applies unless the app chose its own.
    const ownBudget = this.options.uplinkBudget && this.options.uplinkBudget.budgetBps;
    if (joined.uplinkBudgetBps && !ownBudget) {
      void this.uplink?.setBudget(joined.uplinkBudgetBps);
    }
    const rtcConfig = roomRtcConfig(this.options.rtcConfig, joined);
    const listener = participantEvents(
      this.people,
      (event, ...args) => this.emit(event, ...args),
      // Senders have encodings only once negotiated: cap a link's as it connects.
      () => void this.uplink?.apply(),
    );
    const send = (to: string, payload: SignalPayload): void => {
      this.signaling.send({ type: 'signal', to, ...payload } as never);
    };
    const local = {
      tracks: opts.tracks ?? { audio: null, video: null },
      stream: opts.stream ?? null,
    };
    this.topology = this.options.createTopology
      ? this.options.createTopology(joined.self, rtcConfig, listener, send, local)
      : new MeshTopology({
          selfId: joined.self,
          rtcConfig,
          sendSignal: send,
          tracks: local.tracks,
          stream: local.stream,
          listener,
          ...(this.options.RTCPeerConnection
            ? { RTCPeerConnection: this.options.RTCPeerConnection }
            : {}),
          ...(this.options.iceRestartGraceMs === undefined
            ? {}
            : { iceRestartGraceMs: this.options.iceRestartGraceMs }),
        });
    this.setState('joined');
    // We are the newcomer: we offer to everyone already there.
    for (const info of joined.peers) {
      this.addParticipant(info, true);
    }
  }

  private addParticipant(info: PeerInfo, initiator: boolean): void {
    if (this.people.has(info.id)) {
      return;
    }
    const p: Participant = {
      id: info.id,
      name: info.name,
      media: info.media,
      connection: 'new',
      link: 'connecting',
      tracks: {},
    };
    this.people.set(info.id, p);
    this.topology?.addPeer(info.id, initiator);
    this.emit('participant-joined', p);
    void this.uplink?.apply();
  }

  private removeParticipant(id: string, reason: 'left' | 'timeout' | 'replaced'): void {
    const p = this.people.get(id);
    if (!p) {
      return;
    }
    this.people.delete(id);
    this.topology?.removePeer(id);
    this.emit('participant-left', p, reason);
    // One copy fewer to upload: the others may send more again.
    void this.uplink?.apply();
  }

  private onMessage(m: ServerMessage): void {
    if (this._state !== 'joined' && this._state !== 'reconnecting') {
      return;
    }
    switch (m.type) {
      case 'peer-joined':
        this.addParticipant(m.peer, false);
        break;
      case 'peer-left':
        this.removeParticipant(m.peerId, m.reason);
        break;
      case 'peer-media-state': {
        const p = this.people.get(m.from);
        if (p) {
          p.media = m.media;
          this.emit('media-state', p, m.media);
        }
        break;
      }
      case 'signal':
        if (this.people.has(m.from)) {
          const payload = (
            m.description ? { description: m.description } : { candidate: m.candidate }
          ) as SignalPayload;
          void this.topology?.handleSignal(m.from, payload);
        }
        break;
      case 'ice-servers':
        this.topology?.setIceServers(m.iceServers as RTCIceServer[]);
        break;
      case 'error':
        // resume_failed is handled by the 'session-lost' rejoin; it is not the user's problem.
        if (m.rid === undefined && m.code !== 'resume_failed') {
          this.emit('error', new ParleyError(m.code, m.message));
        }
        break;
      default:
        break;
    }
  }

  /**
   * The server released our seat while we were away (grace over, or the server restarted):
   * take a new seat in the same room. The old peer connections keep carrying media until
   * the new seat is granted, then they are replaced by links under the new peer ids.
   */
  private async rejoin(): Promise<void> {
    if (!this.roomId || !this.joinOptions || this._state === 'left' || this._state === 'idle') {
      return;
    }
    const roomId = this.roomId;
    const name = this.joinOptions.name;
    try {
      const joined = await this.signaling.request(
        { type: 'join', room: roomId, name, media: this.media },
        'joined',
      );
      // The user may have left while the request was in flight.
      if ((this._state as RoomState) === 'left') {
        this.signaling.send({ type: 'leave' });
        return;
      }
      this.teardown();
      this.onJoined(joined);
    } catch (err) {
      this.emit('error', err as Error);
      this.teardown();
      this.setState('left');
    }
  }

  /** Announce and apply our mic/camera/screen state. */
  setMediaState(media: MediaState): void {
    this.media = { ...media };
    if (this._state === 'joined' || this._state === 'reconnecting') {
      this.signaling.send({ type: 'media-state', media: this.media });
    }
  }

  /** Send a different track (or none) for a kind to everyone, without renegotiating. */
  async setTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
    if (this.joinOptions) {
      const tracks = {
        ...(this.joinOptions.tracks ?? { audio: null, video: null }),
        [kind]: track,
      };
      this.joinOptions = { ...this.joinOptions, tracks };
    }
    await this.topology?.setTrack(kind, track);
  }

  /** Send on the data channel to one participant or everyone. */
  sendData(data: string | ArrayBuffer, participantId?: string): void {
    this.topology?.sendData(data, participantId);
  }

  private teardown(): void {
    this.topology?.close();
    this.topology = null;
    for (const id of [...this.people.keys()]) {
      this.removeParticipant(id, 'left');
    }
    this._selfId = null;
  }

  /** Leave the room and close every peer connection. Safe to call twice. */
  leave(): void {
    if (this._state === 'left' || this._state === 'idle') {
      this.setState('left');
      return;
    }
    if (this.signaling.state === 'open') {
      this.signaling.send({ type: 'leave' });
    }
    this.teardown();
    this.setState('left');
  }

  /** Leave and stop listening to the signaling client. */
  close(): void {
    this.leave();
    for (const off of this.unsubscribe.splice(0)) {
      off();
    }
  }
}
