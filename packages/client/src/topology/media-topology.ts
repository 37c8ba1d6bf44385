import type {
  MediaState,
  RoomDataLimits,
  ClientMessage,
  ClientMessageInput,
  ServerMessage,
  ServerMessageMap,
  ServerMessageType,
} from '@parley/protocol';
import type { UplinkBudgetOptions } from '../bandwidth/uplink-plan.js';
import type { DataStream } from './data-stream.js';

/**
 * The seam between a room and the way its media travels (LiveKit's engine/room split).
 * A topology owns every RTCPeerConnection; what crosses this file is participants by
 * id, tracks, data, stats and states. The mesh (`mesh/`) has one connection per
 * participant; the SFU (`sfu/`) has two to the server and implements the same
 * interface, so rooms, files, reactions, quality and the UI do not change.
 */

/** How a room's media flows (`joined.mode`, `room-mode`): peer to peer or through the SFU. */
export type TopologyMode = 'mesh' | 'sfu';

/** A simulcast layer of someone's video, 0 the lowest (smallest) to 2 the highest. */
export type SimulcastLayer = 0 | 1 | 2;

/**
 * What we send: one track of each kind at a time. `screen` is a shared screen, window
 * or tab, sent beside the camera (not instead of it) on a video transceiver of its own;
 * `screen-audio` is the sound the browser captured with it (a tab's audio), on an audio
 * transceiver of its own beside the microphone (docs/ARCHITECTURE.md, "Screen sharing").
 */
export type TrackKind = 'audio' | 'video' | 'screen' | 'screen-audio';

/** The tracks we send, by kind; null (or no screen) sends nothing on that kind. */
export interface LocalTracks {
  audio: MediaStreamTrack | null;
  video: MediaStreamTrack | null;
  screen?: MediaStreamTrack | null;
  'screen-audio'?: MediaStreamTrack | null;
}

/**
 * The media path to one participant, as a user would describe it. One enum for every
 * topology: a break after the first connection is `reconnecting` (the topology is
 * repairing it), `closed` is for good.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/**
 * Whether a participant was in the room before us (`present`: we are the newcomer)
 * or came after us (`joined`). A mesh lets the newcomer offer; an SFU ignores it.
 */
export type Arrival = 'present' | 'joined';

export type TopologyEvents = {
  /** A participant's track of this kind arrived, or replaced the one we had. */
  'track-added': [participantId: string, track: MediaStreamTrack, kind: TrackKind];
  /** A participant's track of this kind is gone (also for each track when they are removed). */
  'track-removed': [participantId: string, kind: TrackKind];
  /** The media path to a participant changed state. */
  'connection-state': [participantId: string, state: ConnectionState];
  /** Data can now reach this participant (sendData, openDataStream). */
  'data-open': [participantId: string];
  /** A message on the shared data channel, with its sender. */
  data: [from: string, data: string | ArrayBuffer];
  /** A participant opened a data stream to us; listen on it at once. */
  'data-stream': [from: string, stream: DataStream];
  /** Something failed for one participant that the topology could not repair (the call goes on). */
  error: [participantId: string, error: Error];
};

/** Everything a topology is given when a room has a seat; it lives until `close()`. */
export interface TopologyContext {
  /** Our participant id in the room. */
  selfId: string;
  /** The app's RTCConfiguration with the server's ICE servers and transport policy. */
  rtcConfig: RTCConfiguration;
  /** How the room's media flows now; the factory picks the topology by it (default mesh). */
  mode?: TopologyMode;
  /** Send a message to the server (signals, and what an SFU needs). */
  send: (message: ClientMessage) => void;
  /** Send and wait for the reply with the same `rid` (or reject with its error); the SFU needs it. */
  request?: <T extends ServerMessageType>(
    message: ClientMessageInput,
    expect: T,
  ) => Promise<ServerMessageMap[T]>;
  /**
   * The server's limits on data it relays (`joined.dataLimits`); the SFU sends data
   * through the server under them. Absent: the server relays no data.
   */
  dataLimits?: RoomDataLimits;
  /** What to send from the start. */
  tracks: LocalTracks;
  /** The stream the tracks belong to, so the far side groups them. */
  stream: MediaStream | null;
  /** How much we may upload; false leaves the encoders alone. */
  uplinkBudget: Partial<UplinkBudgetOptions> | false;
  /** RTCPeerConnection constructor; the global one by default (Node injects @roamhq/wrtc). */
  RTCPeerConnection?: typeof RTCPeerConnection;
  /** How long a broken media path may stay broken before ICE restarts (ms). */
  iceRestartGraceMs?: number;
}

/** How media and data reach the other participants of a room. */
export interface MediaTopology {
  /** Listen to an event; returns the function that stops listening. */
  on<K extends keyof TopologyEvents>(
    event: K,
    listener: (...args: TopologyEvents[K]) => void,
  ): () => void;

  /** A participant is in the room; connect to them. */
  addParticipant(participantId: string, arrival: Arrival): void;
  /** A participant left; their tracks go (`track-removed`) and their path closes. */
  removeParticipant(participantId: string): void;
  /**
   * What a participant says it sends (their `media` in `joined`/`peer-joined`, then
   * `peer-media-state`, relayed by the server), told before `addParticipant` and on each
   * change. The SFU uses it: someone who sends nothing publishes nothing to Janus, so no
   * stream of theirs will come to wait for. A mesh has a connection per participant
   * whatever they send, and ignores it.
   */
  setMediaState?(participantId: string, media: MediaState): void;
  /**
   * A message from the server while we have a seat; the topology takes what is its own
   * (the mesh: `signal` from a known participant, `ice-servers`) and ignores the rest.
   */
  handleMessage(message: ServerMessage): void;

  /**
   * Send `track` as our `kind`; replaces the one sent before, without renegotiation for
   * audio and camera. The first screen share adds a transceiver (one renegotiation).
   */
  publishTrack(kind: TrackKind, track: MediaStreamTrack): Promise<void>;
  /**
   * Stop sending `kind` (the others keep the slot, so publishing again is instant). A
   * screen share's slot goes inactive, so the others see the share end (`track-removed`).
   */
  unpublishTrack(kind: TrackKind): Promise<void>;

  /** Send on the shared reliable, ordered channel to one participant, or to all. */
  sendData(data: string | ArrayBuffer, to?: string): void;
  /** Whether `sendData` reaches this participant now. */
  canSendData(participantId: string): boolean;
  /**
   * Open a reliable, ordered stream of its own to one participant (a file transfer),
   * so bulk bytes never hold up the shared channel. Null if they cannot be reached.
   */
  openDataStream(participantId: string, label: string): DataStream | null;

  /** The media path to a participant, or null if unknown. */
  connectionState(participantId: string): ConnectionState | null;
  /**
   * What getStats() reports for the media to and from one participant: inbound and
   * outbound RTP, the selected candidate pair. Null if unknown or closed.
   */
  getStats(participantId: string): Promise<RTCStatsReport | null>;
  /** The audio level of their incoming voice, 0..1 (linear), or null without audio. */
  audioLevel(participantId: string): number | null;
  /** Restart ICE to a participant now (it also happens by itself after a break). */
  restartIce(participantId: string): void;

  /**
   * Receive this simulcast layer of a participant's video (the SFU: `sfu-layer`). False
   * where there is nothing to choose (a mesh, or no video from them yet; the SFU still
   * keeps the choice and sends it once their video comes).
   */
  setLayer(participantId: string, layer: SimulcastLayer): boolean;

  /**
   * Stop (true) or resume receiving a participant's video, e.g. while it is off screen;
   * their audio goes on. The SFU asks the server (`sfu-pause`). False where this cannot
   * be done (a mesh, or no video from them yet): the video keeps coming.
   */
  setVideoPaused(participantId: string, paused: boolean): boolean;

  /** Change how much we may upload in total, in bits per second, and re-apply it. */
  setUplinkBudget(budgetBps: number): Promise<void>;

  /** Close every connection. Safe to call twice; local tracks are not the topology's to stop. */
  close(): void;
}

/** Builds a topology once the room has a seat (by `context.mode`; the mesh by default). */
export type TopologyFactory = (context: TopologyContext) => MediaTopology;
