import { z } from 'zod';
import { DisplayName, RequestId, RoomId } from './common.js';

/**
 * The open-call board: people post an open call (name, topic, voice or video); everyone
 * watching sees it live; the first to answer is taken with the poster into a private
 * two-seat room (the same reserved form as meet), which both then `join`.
 * See docs/PROTOCOL.md.
 */

/** Post ids are chosen by the server. */
export const PostId = z.string().min(1).max(64);

/** Hard upper bound on a topic; the server's configured limit is at most this. */
export const BOARD_TOPIC_MAX = 500;

export const BoardMedia = z.enum(['audio', 'video']);
export type BoardMedia = z.infer<typeof BoardMedia>;

/** One open call, as every watcher sees it. */
export const BoardPost = z.strictObject({
  id: PostId,
  /** The poster's display name (their account's for signed-in users). */
  name: z.string(),
  topic: z.string(),
  /** `audio`: a voice call; `video`: camera too. */
  media: BoardMedia,
  /** ms since epoch. */
  postedAt: z.number(),
  /** When the server removes it unanswered (ms since epoch). */
  expiresAt: z.number(),
});
export type BoardPost = z.infer<typeof BoardPost>;

/** The limits the server enforces, sent with the snapshot so a page can show them. */
export const BoardLimits = z.strictObject({
  /** Longest topic, in characters after trimming. */
  maxTopicLength: z.number().int(),
  /** Open posts one person may have at a time. */
  maxPostsPerPerson: z.number().int(),
  /** Open posts on the whole board. */
  maxPosts: z.number().int(),
  /** How long a post stays unanswered, in ms. */
  postTtlMs: z.number().int(),
});
export type BoardLimits = z.infer<typeof BoardLimits>;

/**
 * Why a post left the board: `withdrawn` by its poster; `answered` someone took it;
 * `left` its poster left or disconnected (or their node died); `expired` its time ran out.
 */
export const BoardRemovedReason = z.enum(['withdrawn', 'answered', 'left', 'expired']);
export type BoardRemovedReason = z.infer<typeof BoardRemovedReason>;

/** Client → server: show me the board live. Answered with `board-snapshot`. */
export const BoardWatch = z.strictObject({ type: z.literal('board-watch'), rid: RequestId });

/** Client → server: stop the live updates. Answered with `board-unwatched`. */
export const BoardUnwatch = z.strictObject({ type: z.literal('board-unwatch'), rid: RequestId });

/**
 * Client → server: post an open call. Signed-in users are shown with their account's
 * name (`name` is ignored). Answered with `board-posted`; refused with `topic_too_long`,
 * `too_many_posts`, `board_full`, `busy` (while in meet), `board_disabled`.
 */
export const BoardPostRequest = z.strictObject({
  type: z.literal('board-post'),
  name: DisplayName,
  topic: z
    .string()
    .max(BOARD_TOPIC_MAX, `topic is at most ${BOARD_TOPIC_MAX} characters`)
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'topic must not be empty')),
  media: BoardMedia,
  rid: RequestId,
});

/** Client → server: take my post down. Answered with `board-withdrawn`; `post_gone` if it is not open. */
export const BoardWithdraw = z.strictObject({
  type: z.literal('board-withdraw'),
  postId: PostId,
  rid: RequestId,
});

/**
 * Client → server: answer a post. The first answer wins (atomically, across nodes):
 * both sides get `board-paired`; a later one gets `post_gone`, your own post `own_post`,
 * and while in meet `busy`.
 */
export const BoardAnswer = z.strictObject({
  type: z.literal('board-answer'),
  postId: PostId,
  name: DisplayName,
  rid: RequestId,
});

/** Server → a watcher: the board as it is now, then `board-added` / `board-removed`. */
export const BoardSnapshot = z.strictObject({
  type: z.literal('board-snapshot'),
  /** Oldest first. */
  posts: z.array(BoardPost),
  limits: BoardLimits,
  rid: RequestId,
});

export const BoardUnwatched = z.strictObject({
  type: z.literal('board-unwatched'),
  rid: RequestId,
});

/** Server → the poster: your post is up (watchers get `board-added`). */
export const BoardPosted = z.strictObject({
  type: z.literal('board-posted'),
  post: BoardPost,
  rid: RequestId,
});

/** Server → the poster: your post is down (watchers get `board-removed`). */
export const BoardWithdrawn = z.strictObject({
  type: z.literal('board-withdrawn'),
  postId: PostId,
  rid: RequestId,
});

/** Server → every watcher: a post appeared. */
export const BoardAdded = z.strictObject({ type: z.literal('board-added'), post: BoardPost });

/**
 * Server → every watcher, and to the poster for their own post even when not watching:
 * a post left the board.
 */
export const BoardRemoved = z.strictObject({
  type: z.literal('board-removed'),
  postId: PostId,
  reason: BoardRemovedReason,
});

/**
 * Server → the poster and the answerer: you are paired. `join` the private `room`
 * (granted to exactly you two) to start the call. The answerer's copy carries the rid
 * of their `board-answer`.
 */
export const BoardPaired = z.strictObject({
  type: z.literal('board-paired'),
  postId: PostId,
  room: RoomId,
  role: z.enum(['poster', 'answerer']),
  /** The other person's display name. */
  peer: z.strictObject({ name: z.string() }),
  media: BoardMedia,
  topic: z.string(),
  rid: RequestId,
});
