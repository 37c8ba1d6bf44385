import { z } from 'zod';
import { IceServer, MediaState, RequestId } from './common.js';
import { PublicUser, UserId } from './accounts.js';
import { IceCandidate, SessionDescription } from './signal.js';

export const CallId = z.string().min(1).max(64);
export const CallMedia = z.enum(['audio', 'video']);
export type CallMedia = z.infer<typeof CallMedia>;

/**
 * The server's state of a direct call. One enum: a call is ringing, then active,
 * then ended (with a reason). Nothing else.
 */
export const CallState = z.enum(['ringing', 'active', 'ended']);
export type CallState = z.infer<typeof CallState>;

/**
 * Why a call ended (as the receiver of the `call-state` sees it).
 * `answered_elsewhere` is only ever sent to the callee's other tabs.
 */
export const CallEndReason = z.enum([
  'declined',
  'no_answer',
  'busy',
  'unavailable',
  'cancelled',
  'answered_elsewhere',
  'hangup',
  'failed',
]);
export type CallEndReason = z.infer<typeof CallEndReason>;

/** Client → server: ring a contact. Answered with `call-state` (same rid). */
export const CallInvite = z.object({
  type: z.literal('call-invite'),
  to: UserId,
  media: CallMedia,
  rid: RequestId,
});

/** Client → server: take the call on this tab. Answered with `call-state` `active`. */
export const CallAccept = z.object({
  type: z.literal('call-accept'),
  callId: CallId,
  rid: RequestId,
});

/**
 * Client → server: this tab's session was lost while the call was active (its node
 * drained or died, and the tab came back on another node as a new session): take this
 * tab's place in the call again. Answered with `call-state` `active` (media is peer to
 * peer and never stopped), or an error when the call has ended meanwhile.
 */
export const CallRejoin = z.object({
  type: z.literal('call-rejoin'),
  callId: CallId,
  rid: RequestId,
});

/**
 * Client → server: leave the call. The server turns it into the right outcome:
 * the caller while ringing = cancelled, the callee while ringing = declined,
 * either side once active = hangup.
 */
export const CallEnd = z.object({ type: z.literal('call-end'), callId: CallId, rid: RequestId });

const signalBody = {
  description: SessionDescription.optional(),
  candidate: IceCandidate.optional(),
};
const oneOf = (v: { description?: unknown; candidate?: unknown }): boolean =>
  (v.description === undefined) !== (v.candidate === undefined);
const oneOfMessage = { message: 'call-signal carries exactly one of description or candidate' };

/** Client → server → the other party's tab in an active call. */
export const CallSignalOut = z
  .object({ type: z.literal('call-signal'), callId: CallId, ...signalBody, rid: RequestId })
  .refine(oneOf, oneOfMessage);
export const CallSignalIn = z
  .object({ type: z.literal('call-signal'), callId: CallId, ...signalBody })
  .refine(oneOf, oneOfMessage);

/** Client → server: my mic/camera changed (and voice → video upgrades). Relayed. */
export const CallMediaOut = z.object({
  type: z.literal('call-media'),
  callId: CallId,
  media: MediaState,
  rid: RequestId,
});
export const CallMediaIn = z.object({
  type: z.literal('call-media'),
  callId: CallId,
  media: MediaState,
});

/** Server → every tab of the callee: someone is calling. */
export const CallIncoming = z.object({
  type: z.literal('call-incoming'),
  callId: CallId,
  from: PublicUser,
  media: CallMedia,
  /** When the server stops ringing (ms since epoch). */
  expiresAt: z.number(),
});

/** Server → a tab taking part: the call changed state. The only call lifecycle event. */
export const CallStateMessage = z.object({
  type: z.literal('call-state'),
  callId: CallId,
  state: CallState,
  /** Present when `state` is `ended`. */
  reason: CallEndReason.optional(),
  role: z.enum(['caller', 'callee']),
  peer: PublicUser,
  media: CallMedia,
  /** When the call was answered (ms since epoch). */
  answeredAt: z.number().optional(),
  /** With `active`: the ICE servers for the peer connection. */
  iceServers: z.array(IceServer).optional(),
  rid: RequestId,
});

/** One line of call history, seen from the user who asks. */
export const CallRecord = z.object({
  id: CallId,
  direction: z.enum(['outgoing', 'incoming']),
  peer: PublicUser,
  media: CallMedia,
  /** answered, or how it ended without an answer. */
  outcome: z.enum(['answered', 'missed', 'declined', 'cancelled', 'busy', 'unavailable', 'failed']),
  startedAt: z.number(),
  /** Seconds between answer and end; 0 if never answered. */
  durationSec: z.number().int().min(0),
  /** Incoming missed call the user has not looked at yet. */
  unseen: z.boolean(),
});
export type CallRecord = z.infer<typeof CallRecord>;

/** Server → every tab of a user: the missed-calls badge changed (after history is written). */
export const CallsMissed = z.object({
  type: z.literal('calls-missed'),
  missedUnseen: z.number().int().min(0),
});

/** GET /api/calls answer (newest first) and the missed-calls badge. */
export const CallHistory = z.object({
  calls: z.array(CallRecord),
  missedUnseen: z.number().int().min(0),
});
export type CallHistory = z.infer<typeof CallHistory>;
