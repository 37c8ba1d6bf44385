import type { BoardPost } from '@parley/protocol';
import type { SessionRef } from '../cluster/delivery.js';

/** A post as the cluster keeps it: what watchers see, and whose it is. */
export interface StoredPost extends BoardPost {
  /** The poster (see `personOf`). */
  owner: string;
  /** The poster's tab: told when it is answered, and its going takes the post down. */
  ref: SessionRef;
}

export interface PostLimits {
  maxPerPerson: number;
  maxPosts: number;
}

export type PostOutcome = 'ok' | 'too_many_posts' | 'board_full';
export type TakeOutcome = { ok: true; post: StoredPost } | { ok: false; reason: 'gone' | 'own' };

/**
 * The open-call board as the cluster keeps it. Every change is atomic (in Redis, one Lua
 * script): the limits hold under concurrent posts, and of two answers (or an answer and
 * a withdrawal) to one post exactly one takes it, whatever the nodes.
 */
export interface BoardDirectory {
  /** Add a post within the limits. */
  post(post: StoredPost, limits: PostLimits): Promise<PostOutcome>;
  /** First answer wins: remove the post for `taker` unless it is gone or theirs. */
  take(postId: string, taker: string): Promise<TakeOutcome>;
  /** Remove the owner's post; undefined when it is not open (or not theirs). */
  withdraw(postId: string, owner: string): Promise<StoredPost | undefined>;
  /** Remove these posts; returns the ones that were still there (each goes exactly once). */
  remove(postIds: readonly string[]): Promise<StoredPost[]>;
  /** Every open post, oldest first. */
  list(): Promise<StoredPost[]>;
  ofOwner(owner: string): Promise<StoredPost[]>;
  /** Ids of posts whose time ran out by `now`. */
  expired(now: number): Promise<string[]>;
}

export class InMemoryBoardDirectory implements BoardDirectory {
  /** Insertion order = posting order. */
  private readonly posts = new Map<string, StoredPost>();

  post(post: StoredPost, limits: PostLimits): Promise<PostOutcome> {
    if (this.posts.size >= limits.maxPosts) {
      return Promise.resolve('board_full');
    }
    let mine = 0;
    for (const p of this.posts.values()) {
      mine += p.owner === post.owner ? 1 : 0;
    }
    if (mine >= limits.maxPerPerson) {
      return Promise.resolve('too_many_posts');
    }
    this.posts.set(post.id, structuredClone(post));
    return Promise.resolve('ok');
  }

  take(postId: string, taker: string): Promise<TakeOutcome> {
    const p = this.posts.get(postId);
    if (!p) {
      return Promise.resolve({ ok: false, reason: 'gone' });
    }
    if (p.owner === taker) {
      return Promise.resolve({ ok: false, reason: 'own' });
    }
    this.posts.delete(postId);
    return Promise.resolve({ ok: true, post: p });
  }

  withdraw(postId: string, owner: string): Promise<StoredPost | undefined> {
    const p = this.posts.get(postId);
    if (!p || p.owner !== owner) {
      return Promise.resolve(undefined);
    }
    this.posts.delete(postId);
    return Promise.resolve(p);
  }

  remove(postIds: readonly string[]): Promise<StoredPost[]> {
    const out: StoredPost[] = [];
    for (const id of postIds) {
      const p = this.posts.get(id);
      if (p) {
        this.posts.delete(id);
        out.push(p);
      }
    }
    return Promise.resolve(out);
  }

  list(): Promise<StoredPost[]> {
    return Promise.resolve([...this.posts.values()].map((p) => structuredClone(p)));
  }

  ofOwner(owner: string): Promise<StoredPost[]> {
    return Promise.resolve([...this.posts.values()].filter((p) => p.owner === owner));
  }

  expired(now: number): Promise<string[]> {
    return Promise.resolve(
      [...this.posts.values()].filter((p) => p.expiresAt <= now).map((p) => p.id),
    );
  }
}
