import {
  PRIVATE_ROOM_PREFIX,
  type BoardLimits,
  type BoardPost,
  type BoardRemovedReason,
  type ServerMessage,
} from '@parley/protocol';
import type { Gateway } from '../signaling/gateway.js';
import type { Session } from '../signaling/session.js';
import { ProtocolError, orUnavailable } from '../signaling/protocol-error.js';
import { randomId } from '../signaling/ids.js';
import { personOf, shownName } from '../signaling/person.js';
import type { Delivery } from '../cluster/delivery.js';
import type { NodeScoped } from '../cluster/cluster.js';
import type { RoomGrants } from '../rooms/index.js';
import type { BoardDirectory, StoredPost } from './board-directory.js';

export interface BoardOptions {
  enabled: boolean;
  postTtlMs: number;
  maxPostsPerPerson: number;
  maxPosts: number;
  maxTopicLength: number;
  grantTtlMs: number;
  /** Meet and the board exclude each other: is this person in meet? */
  inMeet: (personId: string) => Promise<boolean>;
  log: { error(obj: object, msg: string): void };
}

export interface BoardFeature extends NodeScoped {
  /** Does this person have open posts? */
  hasOpenPosts(personId: string): Promise<boolean>;
  close(): void;
}

/** The audience (delivery channel) of everyone watching the board, on every node. */
const WATCHERS = 'board';
const WATCHING = 'board.watching';
/** The person a session posted as (its account may be gone by the time the session ends). */
const OWNER = 'board.owner';

/** What watchers see of a post (not whose tab it is). */
function publicPost(p: StoredPost): BoardPost {
  return {
    id: p.id,
    name: p.name,
    topic: p.topic,
    media: p.media,
    postedAt: p.postedAt,
    expiresAt: p.expiresAt,
  };
}

/**
 * The open-call board: posts in the board directory, watchers on a delivery channel
 * (so a post appears on every node's pages at once), the first answer taking the post
 * atomically and both people granted a private room.
 */
export function registerBoard(
  gateway: Gateway,
  directory: BoardDirectory,
  grants: RoomGrants,
  delivery: Delivery,
  options: BoardOptions,
): BoardFeature {
  const limits: BoardLimits = {
    maxTopicLength: options.maxTopicLength,
    maxPostsPerPerson: options.maxPostsPerPerson,
    maxPosts: options.maxPosts,
    postTtlMs: options.postTtlMs,
  };
  const send = (session: Session, message: ServerMessage): void => session.send(message);
  const failed = (what: string) => (err: unknown) => options.log.error({ err }, what);
  const enabled = (): void => {
    if (!options.enabled) {
      throw new ProtocolError('board_disabled', 'the board is turned off on this server');
    }
  };
  const shared = orUnavailable;

  /**
   * Posts went: every watcher hears it; the poster too, once, even when not watching
   * (their own copy goes to their tab, and the channel's skips it).
   */
  const removed = (posts: StoredPost[], reason: BoardRemovedReason): void => {
    for (const p of posts) {
      const frame = JSON.stringify({ type: 'board-removed', postId: p.id, reason });
      delivery.toChannel(WATCHERS, frame, p.ref.sessionId);
      if (reason !== 'left') {
        delivery.toSession(p.ref, frame);
      }
    }
  };

  gateway.handle('board-watch', async (session, msg) => {
    enabled();
    // Subscribe before reading, so nothing posted in between is missed (a post may then
    // come both in the snapshot and as `board-added`: clients key posts by id).
    session.attachments.set(WATCHING, true);
    await shared(delivery.watch(WATCHERS, session));
    const posts = await shared(directory.list());
    send(session, {
      type: 'board-snapshot',
      posts: posts.map(publicPost),
      limits,
      ...(msg.rid === undefined ? {} : { rid: msg.rid }),
    });
  });

  gateway.handle('board-unwatch', (session, msg) => {
    enabled();
    session.attachments.delete(WATCHING);
    delivery.unwatch(WATCHERS, session);
    send(session, { type: 'board-unwatched', ...(msg.rid === undefined ? {} : { rid: msg.rid }) });
  });

  gateway.handle('board-post', async (session, msg) => {
    enabled();
    if (msg.topic.length > options.maxTopicLength) {
      throw new ProtocolError(
        'topic_too_long',
        `a topic is at most ${options.maxTopicLength} characters`,
      );
    }
    const owner = personOf(session);
    if (await shared(options.inMeet(owner))) {
      throw new ProtocolError('busy', 'stop meet before posting an open call');
    }
    const now = Date.now();
    const post: StoredPost = {
      id: randomId(),
      name: shownName(session, msg.name),
      topic: msg.topic,
      media: msg.media,
      postedAt: now,
      expiresAt: now + options.postTtlMs,
      owner,
      ref: delivery.refOf(session),
    };
    const outcome = await shared(
      directory.post(post, { maxPerPerson: options.maxPostsPerPerson, maxPosts: options.maxPosts }),
    );
    if (outcome === 'too_many_posts') {
      throw new ProtocolError(
        'too_many_posts',
        `one person may have ${options.maxPostsPerPerson} open post(s) at a time`,
      );
    }
    if (outcome === 'board_full') {
      throw new ProtocolError('board_full', 'the board is full; try again later');
    }
    session.attachments.set(OWNER, owner);
    if (session.state === 'closed') {
      // Gone while posting: take it down again (its end hook ran before the post existed).
      await directory.remove([post.id]);
      return;
    }
    send(session, {
      type: 'board-posted',
      post: publicPost(post),
      ...(msg.rid === undefined ? {} : { rid: msg.rid }),
    });
    delivery.toChannel(WATCHERS, JSON.stringify({ type: 'board-added', post: publicPost(post) }));
  });

  gateway.handle('board-withdraw', async (session, msg) => {
    enabled();
    const post = await shared(directory.withdraw(msg.postId, personOf(session)));
    if (!post) {
      throw new ProtocolError(
        'post_gone',
        'that post is not open (answered, withdrawn or expired)',
      );
    }
    send(session, {
      type: 'board-withdrawn',
      postId: post.id,
      ...(msg.rid === undefined ? {} : { rid: msg.rid }),
    });
    delivery.toChannel(
      WATCHERS,
      JSON.stringify({ type: 'board-removed', postId: post.id, reason: 'withdrawn' }),
    );
  });

  gateway.handle('board-answer', async (session, msg) => {
    enabled();
    const taker = personOf(session);
    if (await shared(options.inMeet(taker))) {
      throw new ProtocolError('busy', 'stop meet before answering an open call');
    }
    const outcome = await shared(directory.take(msg.postId, taker));
    if (!outcome.ok) {
      throw outcome.reason === 'own'
        ? new ProtocolError('own_post', 'that is your own post')
        : new ProtocolError('post_gone', 'someone else answered first, or the post went');
    }
    const post = outcome.post;
    const room = PRIVATE_ROOM_PREFIX + randomId(16);
    await shared(grants.grant(room, [post.ref.sessionId, session.id], options.grantTtlMs));
    const answerer = shownName(session, msg.name);
    const paired = {
      type: 'board-paired',
      postId: post.id,
      room,
      media: post.media,
      topic: post.topic,
    } as const;
    delivery.toSession(
      post.ref,
      JSON.stringify({ ...paired, role: 'poster', peer: { name: answerer } }),
    );
    send(session, {
      ...paired,
      role: 'answerer',
      peer: { name: post.name },
      ...(msg.rid === undefined ? {} : { rid: msg.rid }),
    });
    delivery.toChannel(
      WATCHERS,
      JSON.stringify({ type: 'board-removed', postId: post.id, reason: 'answered' }),
    );
    // The poster is in a call now: their other open calls go.
    const others = await directory.ofOwner(post.owner);
    removed(await directory.remove(others.map((p) => p.id)), 'withdrawn');
  });

  /** The poster's tab went (dropped, closed, its node died): its posts go at once. */
  const posterGone = async (session: Session): Promise<void> => {
    const owner = session.attachments.get(OWNER) as string | undefined;
    if (owner === undefined) {
      return;
    }
    const mine = (await directory.ofOwner(owner)).filter((p) => p.ref.sessionId === session.id);
    if (mine.length > 0) {
      removed(await directory.remove(mine.map((p) => p.id)), 'left');
    }
  };
  gateway.addHooks({
    sessionDetached: (session) => {
      if (options.enabled) {
        posterGone(session).catch(failed('board: poster dropped'));
      }
    },
    sessionEnded: (session) => {
      if (session.attachments.has(WATCHING)) {
        delivery.unwatch(WATCHERS, session);
      }
      if (options.enabled) {
        posterGone(session).catch(failed('board: poster left'));
      }
    },
  });

  let sweeping = false;
  const sweep = async (): Promise<void> => {
    if (sweeping) {
      return;
    }
    sweeping = true;
    try {
      const ids = await directory.expired(Date.now());
      if (ids.length > 0) {
        removed(await directory.remove(ids), 'expired');
      }
    } finally {
      sweeping = false;
    }
  };
  const sweepTimer = setInterval(
    () => {
      sweep().catch(failed('board: expiry'));
    },
    Math.min(1000, options.postTtlMs),
  );
  sweepTimer.unref();

  return {
    async hasOpenPosts(personId) {
      return (await directory.ofOwner(personId)).length > 0;
    },
    async releaseNode(nodeId) {
      const theirs = (await directory.list()).filter((p) => p.ref.nodeId === nodeId);
      removed(await directory.remove(theirs.map((p) => p.id)), 'left');
    },
    // The shared state was lost: posts are gone everywhere; watchers start over.
    async restore() {
      const frame = JSON.stringify({ type: 'board-snapshot', posts: [], limits });
      for (const session of delivery.localSessions()) {
        if (session.attachments.has(WATCHING)) {
          session.sendRaw(frame, 'board-snapshot');
        }
      }
    },
    close() {
      clearInterval(sweepTimer);
    },
  };
}
