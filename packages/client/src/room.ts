import type { MediaState, PeerInfo, ServerMessage, ServerMessageMap } from '@parley/protocol';
import { Emitter } from '@parley/common';
import { ParleyError } from './errors.js';
import { forwardDataEvents, forwardTopologyEvents, roomRtcConfig } from './room-links.js';
import { TopologySwitch, handOver, type ModeChange } from './room-switch.js';
import type { UplinkBudgetOptions } from './bandwidth/uplink-plan.js';
import type { SignalingClient } from './signaling-client.js';
import { RoomHosting } from './hosting/room-hosting.js';
import { requestJoin } from './hosting/join-request.js';
import {
  createDefaultTopology,
  type Arrival,
  type ConnectionState,
  type DataStream,
  type LocalTracks,
  type MediaTopology,
  type SimulcastLayer,
  type TopologyContext,
  type TopologyFactory,
  type TopologyMode,
  type TrackKind,
} from './topology/index.js';

/** Where this client is in the room's lifecycle. */
export type RoomState = 'idle' | 'joining' | 'joined' | 'reconnecting' | 'left';

/** A remote participant, as the UI needs it. */
export interface Participant {
  readonly id: string;
  readonly name: string;
  media: MediaState;
  /** The media path to them, independent of signaling: `reconnecting` while it is repaired. */
  connection: ConnectionState;
  tracks: Partial<Record<TrackKind, MediaStreamTrack>>;
}

export type RoomEvents = {
  /** The room state changed. */
  state: [state: RoomState];
  /** Someone joined (or was present when we joined). */
  'participant-joined': [participant: Participant];
  /** Someone left; `reason` says whether they chose to or timed out. */
  'participant-left': [participant: Participant, reason: LeaveReason];
  /** A participant's track arrived, or replaced the one of its kind. */
  'track-added': [participant: Participant, track: MediaStreamTrack, kind: TrackKind];
  /** A participant's track of this kind is gone. */
  'track-removed': [participant: Participant, kind: TrackKind];
  /** A participant turned mic/camera/screen on or off. */
  'media-state': [participant: Participant, media: MediaState];
  /** The media path to a participant changed (connecting, connected, reconnecting, closed). */
  'connection-state': [participant: Participant, state: ConnectionState];
  /** Data can now reach a participant (sendData, openDataStream). */
  'data-open': [participant: Participant];
  /** A message on the shared data channel from a participant. */
  data: [participant: Participant, data: string | ArrayBuffer];
  /** A participant opened a data stream to us (file sharing matches its label). */
  'data-stream': [participant: Participant, stream: DataStream];
  /**
   * The room's media now flows the new way (mesh or SFU, `room-mode`), and how long the
   * switch and the gap in incoming media were.
   */
  'mode-changed': [change: ModeChange];
  /** The room's lobby holds us until its host lets us in (`join` resolves then). */
  'lobby-waiting': [];
  /**
   * The host asks us to mute. The app turns the mic off and says so (as Jitsi does); we
   * may turn it on again ourselves.
   */
  'mute-requested': [by: Participant | undefined];
  /** Something went wrong that the user may need to know about. */
  error: [error: ParleyError | Error];
};

/** Why a participant left: they chose to, timed out, joined again, or the host removed them. */
export type LeaveReason = 'left' | 'timeout' | 'replaced' | 'removed';

export interface JoinOptions {
  name: string;
  /** What we send, by kind; null sends nothing on that kind. */
  tracks?: LocalTracks;
  /** The stream the tracks belong to. */
  stream?: MediaStream | null;
  /** Announced mic/camera state; defaults to "on" for each track given. */
  media?: MediaState;
  /** The room's password, when it has one. */
  password?: string;
  /** The host key this browser was given for the room (`hosting.on('host-key')`): join as host. */
  hostKey?: string;
}

export interface RoomOptions {
  /** Extra RTCConfiguration (e.g. iceTransportPolicy: 'relay'); iceServers come from the server. */
  rtcConfig?: Omit<RTCConfiguration, 'iceServers'>;
  /** Inject an RTCPeerConnection implementation (Node tests use @roamhq/wrtc). */
  RTCPeerConnection?: typeof RTCPeerConnection;
  /** How long a media path may stay broken before ICE restarts (default 4000 ms). */
  iceRestartGraceMs?: number;
  /** Uplink budget (default 2.5 Mbps in total, or the server's); false leaves senders alone. */
  uplinkBudget?: Partial<UplinkBudgetOptions> | false;
  /** Build a different media topology; the default one otherwise (topology/index.ts). */
  createTopology?: TopologyFactory;
  /** How long a new topology may take to reach everyone before the old one closes (ms). */
  switchTimeoutMs?: number;
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
  private mode: TopologyMode = 'mesh';
  /** Stops forwarding the current topology's events to the room. */
  private unforward: () => void = () => {};
  /** What every topology of this seat is built from (the mode aside). */
  private context: Omit<TopologyContext, 'mode'> | null = null;
  /** A topology for the room's new mode, connecting beside the current one. */
  private pending: TopologySwitch | null = null;
  /** Stops forwarding the pending topology's data (it is the room's until the switch is done). */
  private unforwardPendingData: () => void = () => {};
  private readonly people = new Map<string, Participant>();
  private joinOptions: JoinOptions | null = null;
  private media: MediaState = { audio: false, video: false };
  private readonly unsubscribe: Array<() => void> = [];
  /** A budget the app set with setUplinkBudget(); it outlives a rejoin. */
  private ownBudgetBps: number | null = null;
  /** Who hosts the room, and the host controls (password, lock, lobby, mute, remove, end). */
  readonly hosting: RoomHosting;
  private lobbyWait = false;

  constructor(
    readonly signaling: SignalingClient,
    private readonly options: RoomOptions = {},
  ) {
    super();
    this.hosting = new RoomHosting(signaling);
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
  /** How the room's media flows now: `mesh` or `sfu`. */
  get mediaMode(): TopologyMode {
    return this.mode;
  }
  get participants(): Participant[] {
    return [...this.people.values()];
  }
  participant(id: string): Participant | undefined {
    return this.people.get(id);
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
      const announced = this.media;
      // One round trip: the join goes out right behind hello (the client queues it while
      // connecting), and the server answers welcome and joined together. connect() comes
      // first, so the join finds the client connecting and is queued, not dropped.
      const [, joined] = await Promise.all([
        this.signaling.connect(),
        this.requestJoin(roomId, options.name, announced),
      ]);
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

  /** A join with the room's password and our host key; it may wait in the lobby. */
  private requestJoin(
    roomId: string,
    name: string,
    media: MediaState,
  ): Promise<ServerMessageMap['joined']> {
    const password = this.joinOptions?.password;
    const hostKey = this.hosting.hostKey ?? this.joinOptions?.hostKey;
    return requestJoin(
      this.signaling,
      {
        type: 'join',
        room: roomId,
        name,
        media,
        ...(password === undefined ? {} : { password }),
        ...(hostKey ? { hostKey } : {}),
      },
      () => {
        this.lobbyWait = true;
        this.emit('lobby-waiting');
      },
    );
  }

  /** True while the room's lobby holds our join (until the host lets us in). */
  get waitingInLobby(): boolean {
    return this.lobbyWait;
  }

  private onJoined(joined: ServerMessageMap['joined']): void {
    this.lobbyWait = false;
    this.hosting.reset(joined);
    const opts = this.joinOptions as JoinOptions;
    this._selfId = joined.self;
    const { options } = this;
    this.context = {
      selfId: joined.self,
      rtcConfig: roomRtcConfig(options.rtcConfig, joined),
      send: (message) => this.signaling.send(message),
      request: (message, expect) => this.signaling.request(message, expect),
      tracks: opts.tracks ?? { audio: null, video: null },
      stream: opts.stream ?? null,
      uplinkBudget: this.uplinkBudget(joined.uplinkBudgetBps),
      ...(joined.dataLimits ? { dataLimits: joined.dataLimits } : {}),
      ...(options.RTCPeerConnection ? { RTCPeerConnection: options.RTCPeerConnection } : {}),
      ...(options.iceRestartGraceMs === undefined
        ? {}
        : { iceRestartGraceMs: options.iceRestartGraceMs }),
    };
    this.mode = joined.mode;
    this.adopt(this.build(joined.mode));
    this.setState('joined');
    for (const info of joined.peers) {
      this.addParticipant(info, 'present');
    }
  }

  private build(mode: TopologyMode): MediaTopology {
    const create = this.options.createTopology ?? createDefaultTopology;
    const tracks = this.joinOptions?.tracks ?? { audio: null, video: null };
    return create({ ...(this.context as Omit<TopologyContext, 'mode'>), tracks, mode });
  }

  /** Make `topology` the room's: its events become participant state and room events. */
  private adopt(topology: MediaTopology): void {
    this.topology = topology;
    this.unforward = forwardTopologyEvents(topology, this.people, (event, ...args) =>
      this.emit(event, ...args),
    );
  }

  /**
   * The room's media changes mode (`room-mode`). Make before break: the new topology
   * connects to everyone beside the old one, which keeps carrying media and data until
   * the new one reaches everyone (or the switch times out), then closes.
   */
  private switchMode(mode: TopologyMode): void {
    if (this.pending) {
      if (this.pending.mode === mode) {
        return;
      }
      // Switched back before the switch was done: drop the half-built one.
      this.pending.stop();
      this.unforwardPendingData();
      this.pending.topology.close();
      this.pending = null;
    }
    if (mode === this.mode || !this.context) {
      return;
    }
    const next = this.build(mode);
    this.unforwardPendingData = forwardDataEvents(next, this.people, (event, ...args) =>
      this.emit(event, ...args),
    );
    const switchStarted = Date.now();
    let closedAt = 0;
    let late = false;
    const pending: TopologySwitch = new TopologySwitch(
      next,
      mode,
      this.people,
      {
        ready: (timedOut) => {
          if (this.pending !== pending) {
            return;
          }
          this.pending = null;
          this.unforwardPendingData();
          this.unforward();
          this.topology?.close();
          closedAt = Date.now();
          this.mode = mode;
          this.adopt(next);
          handOver(pending, this.people, (event, ...args) => this.emit(event, ...args));
          late = timedOut;
          if (!timedOut) {
            this.emitModeChange(mode, closedAt - switchStarted, 0, false);
          }
        },
        reached: () => {
          if (late && this.topology === next) {
            this.emitModeChange(mode, closedAt - switchStarted, Date.now() - closedAt, true);
          }
        },
      },
      this.options.switchTimeoutMs,
    );
    this.pending = pending;
    for (const [id, p] of this.people) {
      next.setMediaState?.(id, p.media);
      next.addParticipant(id, this.arrivalOnSwitch(id));
    }
    pending.check();
  }

  /** On a switch to a mesh, exactly one side of each pair offers: the impolite one. */
  private arrivalOnSwitch(id: string): Arrival {
    return (this._selfId ?? '') > id ? 'present' : 'joined';
  }

  private emitModeChange(
    mode: TopologyMode,
    switchMs: number,
    gapMs: number,
    timedOut: boolean,
  ): void {
    this.emit('mode-changed', { mode, switchMs, gapMs, timedOut });
  }

  /** The budget for a new topology: the app's own, else the server's, else the default. */
  private uplinkBudget(serverBps: number | undefined): Partial<UplinkBudgetOptions> | false {
    const own = this.options.uplinkBudget;
    if (own === false) {
      return false;
    }
    const budgetBps = this.ownBudgetBps ?? own?.budgetBps ?? serverBps;
    return { ...own, ...(budgetBps ? { budgetBps } : {}) };
  }

  private addParticipant(info: PeerInfo, arrival: Arrival): void {
    if (this.people.has(info.id)) {
      return;
    }
    const p: Participant = {
      id: info.id,
      name: info.name,
      media: info.media,
      connection: 'connecting',
      tracks: {},
    };
    this.people.set(info.id, p);
    for (const topology of [this.topology, this.pending?.topology]) {
      topology?.setMediaState?.(info.id, info.media);
      topology?.addParticipant(info.id, arrival);
    }
    this.emit('participant-joined', p);
  }

  private removeParticipant(id: string, reason: LeaveReason): void {
    const p = this.people.get(id);
    if (!p) {
      return;
    }
    // Gone from `people` first, so what the topology reports about them is dropped.
    this.people.delete(id);
    this.topology?.removeParticipant(id);
    this.pending?.topology.removeParticipant(id);
    this.pending?.check();
    this.emit('participant-left', p, reason);
  }

  private onMessage(m: ServerMessage): void {
    if (this._state !== 'joined' && this._state !== 'reconnecting') {
      return;
    }
    switch (m.type) {
      case 'peer-joined':
        this.addParticipant(m.peer, 'joined');
        break;
      case 'peer-left':
        this.removeParticipant(m.peerId, m.reason);
        break;
      case 'peer-media-state': {
        const p = this.people.get(m.from);
        if (p) {
          p.media = m.media;
          this.topology?.setMediaState?.(p.id, m.media);
          this.pending?.topology.setMediaState?.(p.id, m.media);
          this.emit('media-state', p, m.media);
        }
        break;
      }
      case 'room-mode':
        this.switchMode(m.mode);
        break;
      case 'host-changed':
      case 'room-access':
      case 'lobby':
        this.hosting.handleMessage(m);
        break;
      case 'mute-requested':
        this.emit('mute-requested', this.people.get(m.by));
        break;
      case 'room-closed':
        // Removed, or the room ended: our seat is gone and we must not rejoin on our own.
        this.emit(
          'error',
          m.reason === 'removed'
            ? new ParleyError('removed', 'the host removed you from the room')
            : new ParleyError('room_ended', 'the host ended the room'),
        );
        this.teardown();
        this.setState('left');
        break;
      case 'error':
        // resume_failed is handled by the 'session-lost' rejoin; it is not the user's problem.
        if (m.rid === undefined && m.code !== 'resume_failed') {
          this.emit('error', new ParleyError(m.code, m.message));
        }
        // A refused frame of a data stream: the topology that sent it ends that stream.
        if (m.of === 'room-data' && m.rid !== undefined) {
          this.topology?.handleMessage(m);
          this.pending?.topology.handleMessage(m);
        }
        break;
      default:
        // Signals, fresh ICE servers and whatever else is media: the topology's business
        // (both topologies' while the room switches mode).
        if (m.type === 'ice-servers' && this.context) {
          const iceServers = m.iceServers as RTCIceServer[];
          this.context = { ...this.context, rtcConfig: { ...this.context.rtcConfig, iceServers } };
        }
        this.topology?.handleMessage(m);
        this.pending?.topology.handleMessage(m);
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
      const joined = await this.requestJoin(roomId, name, this.media);
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

  /**
   * Announce and apply our mic/camera/screen state. A raised hand and a recording are
   * kept unless `media` says otherwise (they have their own setters, and the app's mic
   * toggle should not lower a hand).
   */
  setMediaState(media: MediaState): void {
    const { hand, recording } = this.media;
    this.announce({ ...pickFlags({ hand, recording }), ...media });
  }

  /** Raise or lower our hand; everyone in the room sees it (late joiners too). */
  setHandRaised(raised: boolean): void {
    this.announce({ ...this.media, hand: raised || undefined });
  }

  /** Tell the room we record the call, or stopped; everyone is shown a badge. */
  setRecording(recording: boolean): void {
    this.announce({ ...this.media, recording: recording || undefined });
  }

  /** What we announce now (mic, camera and the room-wide flags). */
  get localState(): MediaState {
    return { ...this.media };
  }

  private announce(media: MediaState): void {
    this.media = pickFlags(media);
    if (this._state === 'joined' || this._state === 'reconnecting') {
      this.signaling.send({ type: 'media-state', media: this.media });
    }
  }

  /** Send a different track (or none) for a kind to everyone, without renegotiating. */
  async setTrack(kind: TrackKind, track: MediaStreamTrack | null): Promise<void> {
    if (this.joinOptions) {
      const tracks = {
        ...(this.joinOptions.tracks ?? { audio: null, video: null }),
        [kind]: track,
      };
      this.joinOptions = { ...this.joinOptions, tracks };
    }
    await Promise.all(
      [this.topology, this.pending?.topology].map((t) =>
        track ? t?.publishTrack(kind, track) : t?.unpublishTrack(kind),
      ),
    );
  }

  /** Send on the shared data channel to one participant, or everyone. */
  sendData(data: string | ArrayBuffer, participantId?: string): void {
    this.topology?.sendData(data, participantId);
  }

  /** Whether sendData reaches this participant now. */
  canSendData(participantId: string): boolean {
    return this.topology?.canSendData(participantId) ?? false;
  }

  /** A reliable, ordered stream of its own to one participant (null if unreachable). */
  openDataStream(participantId: string, label: string): DataStream | null {
    return this.topology?.openDataStream(participantId, label) ?? null;
  }

  /** getStats() for the media to and from one participant (null if not connected). */
  getStats(participantId: string): Promise<RTCStatsReport | null> {
    return this.topology?.getStats(participantId) ?? Promise.resolve(null);
  }

  /** How loud a participant's incoming voice is now, 0..1, or null. */
  audioLevel(participantId: string): number | null {
    return this.topology?.audioLevel(participantId) ?? null;
  }

  /**
   * Receive this simulcast layer of a participant's video (0 the smallest), for the tile
   * it is shown in. Only a room through the SFU has layers: false otherwise.
   */
  setLayer(participantId: string, layer: SimulcastLayer): boolean {
    return this.topology?.setLayer(participantId, layer) ?? false;
  }

  /**
   * Stop (true) or resume receiving a participant's video while nobody can see it (its
   * tile is off screen, or the page is hidden); their voice goes on. Only a room through
   * the SFU can: false otherwise, and the video keeps coming.
   */
  setVideoPaused(participantId: string, paused: boolean): boolean {
    return this.topology?.setVideoPaused(participantId, paused) ?? false;
  }

  /** Change how much we upload in total (a "data saver"), in bits per second. */
  async setUplinkBudget(budgetBps: number): Promise<void> {
    this.ownBudgetBps = budgetBps;
    const budget = this.context?.uplinkBudget;
    if (this.context && budget !== false) {
      this.context = { ...this.context, uplinkBudget: { ...budget, budgetBps } };
    }
    await Promise.all(
      [this.topology, this.pending?.topology].map((t) => t?.setUplinkBudget(budgetBps)),
    );
  }

  private teardown(): void {
    // Participants go first, so the topology's closing reports are dropped.
    for (const id of [...this.people.keys()]) {
      this.removeParticipant(id, 'left');
    }
    this.pending?.stop();
    this.unforwardPendingData();
    this.pending?.topology.close();
    this.pending = null;
    this.unforward();
    this.topology?.close();
    this.topology = null;
    this.context = null;
    this.mode = 'mesh';
    this._selfId = null;
    this.hosting.clear();
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

/** The state without flags that are off or unset: the wire carries only what is true. */
function pickFlags<T extends Partial<MediaState>>(media: T): T {
  const out = { ...media };
  for (const key of ['hand', 'recording'] as const) {
    if (!out[key]) {
      delete out[key];
    }
  }
  return out;
}
