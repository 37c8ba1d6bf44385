import { z } from 'zod';
import { PeerId } from './common.js';

/**
 * Mirrors RTCSessionDescriptionInit. SDP is bounded by the frame limit. Strict, like
 * the candidate: the server forwards the sender's own text, so a key no schema checked
 * would reach the other browser.
 */
export const SessionDescription = z.strictObject({
  type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
  sdp: z.string().optional(),
});

/** Mirrors RTCIceCandidateInit; `null` would mean end-of-candidates, which we do not send. */
export const IceCandidate = z.strictObject({
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

const SIGNAL_KEYS: ReadonlySet<string> = new Set(['type', 'to', 'description', 'candidate']);
const DESCRIPTION_KEYS: ReadonlySet<string> = new Set(['type', 'sdp']);
const DESCRIPTION_TYPES: ReadonlySet<unknown> = new Set([
  'offer',
  'answer',
  'pranswer',
  'rollback',
]);
const CANDIDATE_KEYS: ReadonlySet<string> = new Set([
  'candidate',
  'sdpMid',
  'sdpMLineIndex',
  'usernameFragment',
]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every enumerable key is one of `allowed` (for…in, as zod's strict check: no array). */
function hasOnly(o: object, allowed: ReadonlySet<string>): boolean {
  for (const key in o) {
    if (!allowed.has(key)) {
      return false;
    }
  }
  return true;
}

function isOptionalString(v: unknown, max: number): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.length <= max);
}

function isDescription(v: unknown): boolean {
  return (
    isRecord(v) &&
    hasOnly(v, DESCRIPTION_KEYS) &&
    DESCRIPTION_TYPES.has(v.type) &&
    (v.sdp === undefined || typeof v.sdp === 'string')
  );
}

function isCandidate(v: unknown): boolean {
  if (!isRecord(v) || !hasOnly(v, CANDIDATE_KEYS)) {
    return false;
  }
  const line = v.sdpMLineIndex;
  return (
    typeof v.candidate === 'string' &&
    v.candidate.length <= 2048 &&
    isOptionalString(v.sdpMid, 64) &&
    isOptionalString(v.usernameFragment, 256) &&
    (line === undefined ||
      line === null ||
      (typeof line === 'number' && Number.isInteger(line) && line >= 0 && line <= 1024))
  );
}

/**
 * `SignalOut` without zod, for the frames browsers send. Trickle ICE makes `signal` most
 * of a server's traffic, and zod allocates about 1.4 KB to check one 260-byte candidate
 * (bench/NOTES.md): garbage that the server pays for in collector pauses. Returns the
 * parsed frame itself when it certainly passes `SignalOut` (its output would be an equal
 * object); undefined for anything else (other keys, nested extras that zod would strip,
 * values out of range), which then goes to `SignalOut` for the verdict and the error
 * text. signal.test.ts holds the two to the same rules.
 */
export function readSignalOut(
  frame: Record<string, unknown>,
): z.infer<typeof SignalOut> | undefined {
  if (frame.type !== 'signal' || !hasOnly(frame, SIGNAL_KEYS)) {
    return undefined;
  }
  const { to, description, candidate } = frame;
  if (typeof to !== 'string' || to.length < 1 || to.length > 64) {
    return undefined;
  }
  const valid =
    description !== undefined
      ? candidate === undefined && isDescription(description)
      : candidate !== undefined && isCandidate(candidate);
  return valid ? (frame as z.infer<typeof SignalOut>) : undefined;
}
