import { z } from 'zod';
import { PeerId } from './common.js';

/** Mirrors RTCSessionDescriptionInit. SDP is bounded by the frame limit. */
export const SessionDescription = z.object({
  type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
  sdp: z.string().optional(),
});

/** Mirrors RTCIceCandidateInit; `null` would mean end-of-candidates, which we do not send. */
export const IceCandidate = z.object({
  candidate: z.string().max(2048),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(1024).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});

const signalBody = {
  description: SessionDescription.optional(),
  candidate: IceCandidate.optional(),
};

function oneOf(v: { description?: unknown; candidate?: unknown }): boolean {
  return (v.description === undefined) !== (v.candidate === undefined);
}
const oneOfMessage = { message: 'signal carries exactly one of description or candidate' };

/**
 * Client → server: deliver to one peer in my room. Strict (no `rid`, no `from`, no
 * other keys): the server forwards the client's own text with `from` stamped in front,
 * rather than re-serializing the SDP, so nothing unvalidated may ride along.
 */
export const SignalOut = z
  .strictObject({ type: z.literal('signal'), to: PeerId, ...signalBody })
  .refine(oneOf, oneOfMessage);

/**
 * Server → client: a peer in my room sent this; `from` is stamped by the server. The
 * sender's `to` (your own id) is left in place.
 */
export const SignalIn = z
  .object({ type: z.literal('signal'), from: PeerId, ...signalBody })
  .refine(oneOf, oneOfMessage);
