import { z } from 'zod';
import {
  DisplayName,
  IceServer,
  MediaState,
  PeerId,
  PeerInfo,
  RequestId,
  RoomId,
} from './common.js';
import { RoomDataLimits } from './data.js';
import { JoinAccessFields, JoinedHostFields } from './room-host.js';

export const Join = z.object({
  type: z.literal('join'),
  room: RoomId,
  name: DisplayName,
  media: MediaState,
  ...JoinAccessFields,
  rid: RequestId,
});

export const Joined = z.object({
  type: z.literal('joined'),
  room: RoomId,
  /** Your peer id in this room. */
  self: PeerId,
  /** Everyone already present, in join order. */
  peers: z.array(PeerInfo),
  iceServers: z.array(IceServer),
  /** When the TURN credentials in iceServers expire, ms since epoch. */
  iceExpiresAt: z.number().optional(),
  /** `relay` when the server requires media to go through TURN (RTCConfiguration's policy). */
  iceTransportPolicy: z.enum(['all', 'relay']).optional(),
  maxPeers: z.number().int(),
  /** How media flows in this room now (absent from servers before the SFU: `mesh`). */
  mode: z.enum(['mesh', 'sfu']).default('mesh'),
  /** Total upload each participant should keep under, bits per second (mesh video caps). */
  uplinkBudgetBps: z.number().int().positive().optional(),
  /** Limits on `room-data` (absent from servers without it: no data through the server). */
  dataLimits: RoomDataLimits.optional(),
  ...JoinedHostFields,
  rid: RequestId,
});

export const Leave = z.object({ type: z.literal('leave'), rid: RequestId });
export const Left = z.object({ type: z.literal('left'), room: RoomId, rid: RequestId });

export const PeerJoined = z.object({ type: z.literal('peer-joined'), peer: PeerInfo });

export const PeerLeft = z.object({
  type: z.literal('peer-left'),
  peerId: PeerId,
  /**
   * `left`: they chose to; `timeout`: their connection died; `replaced`: they joined
   * again; `removed`: the host removed them.
   */
  reason: z.enum(['left', 'timeout', 'replaced', 'removed']),
});

/** Client → server: my mic/camera state changed. */
export const SetMediaState = z.object({
  type: z.literal('media-state'),
  media: MediaState,
});

/** Server → room: a participant's mic/camera state changed. */
export const PeerMediaState = z.object({
  type: z.literal('peer-media-state'),
  from: PeerId,
  media: MediaState,
});
