import { z } from 'zod';
import { DisplayName, RequestId, RoomId } from './common.js';

/**
 * "Meet someone new": a queue of strangers that the server pairs two at a time. Each
 * pairing (a "match") gets a private two-seat room (`room`, in the reserved form of
 * `isPrivateRoomId`) that only the two matched sessions may join; the clients then use
 * the ordinary room messages (`join`, `signal`, chat…) in it. See docs/PROTOCOL.md.
 */

/** Match ids are chosen by the server; clients only echo them back (report, block). */
export const MatchId = z.string().min(1).max(64);

/** Most interest tags one person may give. */
export const MEET_MAX_INTERESTS = 10;
/** Longest interest tag, in characters. */
export const MEET_MAX_INTEREST_LENGTH = 32;
/** Longest free text attached to a report, in characters. */
export const MEET_REPORT_TEXT_MAX = 500;

/** One interest tag: trimmed and lower-cased, so "Chess " and "chess" overlap. */
export const InterestTag = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(
    z
      .string()
      .min(1, 'an interest must not be empty')
      .max(
        MEET_MAX_INTEREST_LENGTH,
        `an interest is at most ${MEET_MAX_INTEREST_LENGTH} characters`,
      )
      // eslint-disable-next-line no-control-regex
      .regex(/^[^\u0000-\u001f\u007f]*$/, 'an interest must not contain control characters'),
  );

/** A BCP 47-like language tag ("en", "pt-BR"); compared case-insensitively. */
export const LanguageTag = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/, 'language is a tag such as "en" or "pt-BR"');

/**
 * The server's state of one person in meet. One enum, owned by the server:
 * idle → waiting (start) → matched (paired, room granted) → in-call (joined the room)
 * → waiting again (next, or the other moved on) or idle (stop).
 */
export const MeetStateName = z.enum(['idle', 'waiting', 'matched', 'in-call']);
export type MeetStateName = z.infer<typeof MeetStateName>;

/**
 * Why your last match ended, as you are told:
 * `moved_on` the other pressed Next, Report or Block; `left` the other pressed Stop;
 * `disconnected` the other's tab closed, their resume grace ran out, or their server
 * node died; `no_show` the match was not joined in time (whoever did not join goes idle,
 * the other is queued again); `next` / `stopped` your own request did.
 */
export const MeetEndReason = z.enum([
  'moved_on',
  'left',
  'disconnected',
  'no_show',
  'next',
  'stopped',
]);
export type MeetEndReason = z.infer<typeof MeetEndReason>;

/** The fixed list of report reasons (stored with the report). */
export const ReportReason = z.enum([
  'nudity',
  'harassment',
  'hate',
  'spam',
  'underage',
  'violence',
  'other',
]);
export type ReportReason = z.infer<typeof ReportReason>;

/** The person you are matched with, as you see them. */
export const MeetPeer = z.strictObject({
  name: z.string(),
  /** Their language, when they gave one. */
  language: z.string().optional(),
  /** The interests you both gave (empty when you were paired after the wait). */
  commonInterests: z.array(z.string()),
});
export type MeetPeer = z.infer<typeof MeetPeer>;

/** A match: join `room` (with `join`) to start the call. */
export const MeetMatch = z.strictObject({
  matchId: MatchId,
  /** The private two-seat room granted to exactly the two of you. */
  room: RoomId,
  peer: MeetPeer,
  /** When the server ends the match if you have not joined its room (ms since epoch). */
  joinBy: z.number(),
});
export type MeetMatch = z.infer<typeof MeetMatch>;

/**
 * Client → server: queue me. Signed-in users are shown with their account's name
 * (`name` is then ignored). Answered with `meet-state` `waiting` (or `matched` at once).
 * Refused with `meet_already_started` unless idle, `busy` while you have open board
 * posts, `meet_disabled` when the operator turned meet off.
 */
export const MeetStart = z.strictObject({
  type: z.literal('meet-start'),
  name: DisplayName,
  /** Interests you would like to share; people with overlapping ones are paired first. */
  interests: z.array(InterestTag).max(MEET_MAX_INTERESTS).default([]),
  /** Your language; people with the same one are preferred (after interests). */
  language: LanguageTag.optional(),
  rid: RequestId,
});

/**
 * Client → server: end this match (both sides) and queue again; the other is told
 * `moved_on` and queued again too. Rate-limited (`next_too_soon`). From `waiting` it
 * just stays waiting; from idle it is `meet_not_started`. Answered with `meet-state`.
 */
export const MeetNext = z.strictObject({ type: z.literal('meet-next'), rid: RequestId });

/**
 * Client → server: leave meet (ending any match: the other is told `left` and queued
 * again). → `meet-state` idle, also when already idle.
 */
export const MeetStop = z.strictObject({ type: z.literal('meet-stop'), rid: RequestId });

/**
 * Client → server: report the person of one of your recent matches (the current one or
 * one that has just ended). Stored with both sessions' ids and the time; you are never
 * paired with them again. If it is the current match, it ends (the other is told
 * `moved_on`) and you are queued again unless `next` is false. Answered with `meet-state`;
 * `unknown_match` when the match id is not one of yours.
 */
export const MeetReport = z.strictObject({
  type: z.literal('meet-report'),
  matchId: MatchId,
  reason: ReportReason,
  text: z.string().max(MEET_REPORT_TEXT_MAX).optional(),
  /** Queue again after ending the current match (default true); false = go idle. */
  next: z.boolean().default(true),
  rid: RequestId,
});

/** Client → server: never pair me with this match's person again; otherwise like `meet-report`. */
export const MeetBlock = z.strictObject({
  type: z.literal('meet-block'),
  matchId: MatchId,
  next: z.boolean().default(true),
  rid: RequestId,
});

/**
 * Server → client: your meet state. The answer to every meet request (with its `rid`),
 * and pushed on every change the server makes (paired, the other moved on…).
 */
export const MeetState = z.strictObject({
  type: z.literal('meet-state'),
  state: MeetStateName,
  /** Present in `matched` and `in-call`. */
  match: MeetMatch.optional(),
  /** Why the previous match ended, on the push that ends it. */
  reason: MeetEndReason.optional(),
  rid: RequestId,
});

/**
 * Server → each waiting client: the queue changed. Pushed when it changes, at most at
 * the configured rate; first right after you start waiting.
 */
export const MeetQueue = z.strictObject({
  type: z.literal('meet-queue'),
  /** People waiting now, you included ("3 people waiting"). */
  waiting: z.number().int().min(0),
  /**
   * About how long until you are paired, in ms ("about 10 s"), from recent waits;
   * null when there is nothing to go by yet.
   */
  estimatedWaitMs: z.number().int().min(0).nullable(),
});
