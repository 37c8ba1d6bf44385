import { z } from 'zod';
import { PeerId, RequestId } from './common.js';
import { IceCandidate } from './signal.js';

/** How a room's media flows: peer to peer (`mesh`) or through the SFU (`sfu`). */
export const RoomModeName = z.enum(['mesh', 'sfu']);
export type RoomModeName = z.infer<typeof RoomModeName>;

/** Janus's SDP, or the browser's, for one of its two peer connections with the SFU. */
const Sdp = z.string().min(1).max(60_000);
const Offer = z.strictObject({ type: z.literal('offer'), sdp: Sdp });
const Answer = z.strictObject({ type: z.literal('answer'), sdp: Sdp });

/** Server → room: the room switched how its media flows. */
export const RoomMode = z.object({ type: z.literal('room-mode'), mode: RoomModeName });

/**
 * Client → server: publish my tracks (and data channel) to the SFU with this offer,
 * in my own room (the server knows which). Answered by `sfu-answer`.
 */
export const SfuPublish = z.strictObject({
  type: z.literal('sfu-publish'),
  jsep: Offer,
  rid: RequestId,
});

/** Server → client: the SFU's answer to my publisher offer. */
export const SfuAnswer = z.object({
  type: z.literal('sfu-answer'),
  jsep: Answer,
  rid: RequestId,
});

/**
 * One m-line of the subscriber connection: whose stream it carries, and what it is. A
 * publisher's first video m-line is its camera; a later one is its shared screen
 * (`screen`), and a later audio m-line is the screen's own sound (`screen-audio`, a
 * tab's audio), so the browser shows it as the sharer's screen tile.
 */
export const SfuStream = z.object({
  mid: z.string().min(1).max(64),
  peerId: PeerId,
  kind: z.enum(['audio', 'video', 'screen', 'screen-audio', 'data']),
});
export type SfuStream = z.infer<typeof SfuStream>;

/**
 * Server → client: the SFU's offer for my receiving connection, sent whenever the set of
 * streams changes; answer it with `sfu-subscriber-answer`.
 */
export const SfuOffer = z.object({
  type: z.literal('sfu-offer'),
  jsep: z.object({ type: z.literal('offer'), sdp: z.string() }),
  streams: z.array(SfuStream),
});

/** Client → server: my answer to the latest `sfu-offer`. Answered by `sfu-subscribed`. */
export const SfuSubscriberAnswer = z.strictObject({
  type: z.literal('sfu-subscriber-answer'),
  jsep: Answer,
  rid: RequestId,
});

/** Server → client: the SFU took my answer; media flows on the receiving connection. */
export const SfuSubscribed = z.object({ type: z.literal('sfu-subscribed'), rid: RequestId });

/** Client → server: an ICE candidate of one of my connections with the SFU; null: done. */
export const SfuTrickle = z.strictObject({
  type: z.literal('sfu-trickle'),
  target: z.enum(['publisher', 'subscriber']),
  candidate: IceCandidate.nullable(),
  rid: RequestId,
});

/** Client → server: which simulcast layer of a participant's video I want (0 lowest). */
export const SfuLayer = z.strictObject({
  type: z.literal('sfu-layer'),
  peerId: PeerId,
  substream: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  rid: RequestId,
});

/**
 * Client → server: stop (`paused: true`) or resume forwarding a participant's video on my
 * receiving connection, e.g. while their tile is off screen. Audio keeps flowing. Only for
 * a participant of my own room whose video I receive (`unknown_peer` otherwise).
 */
export const SfuPause = z.strictObject({
  type: z.literal('sfu-pause'),
  peerId: PeerId,
  paused: z.boolean(),
  rid: RequestId,
});

/**
 * Client → server: restart ICE on my receiving connection. The SFU makes a new offer
 * with new ICE credentials, which comes as `sfu-offer` (answer it as usual).
 */
export const SfuRestart = z.strictObject({
  type: z.literal('sfu-restart'),
  rid: RequestId,
});
