import type {
  BoardLimits,
  BoardMedia,
  BoardPost,
  ServerMessage,
  ServerMessageMap,
} from '@parley/protocol';
import { Emitter } from '@parley/common';
import type { SignalingClient } from '../signaling-client.js';

/** A pairing from the board: join `room` with a `Room` on the same signaling client. */
export type BoardPairing = Omit<ServerMessageMap['board-paired'], 'type' | 'rid'>;

export type BoardClientEvents = {
  /** The open posts changed (oldest first). */
  posts: [posts: readonly BoardPost[]];
  /** One of our posts left the board for a reason other than our withdrawing it. */
  'own-removed': [postId: string, reason: ServerMessageMap['board-removed']['reason']];
  /** We are paired with someone: our post was answered, or our answer won. */
  paired: [pairing: BoardPairing];
};

/**
 * The open-call board over a signaling client (docs/PROTOCOL.md, board): a live list
 * of posts while watching, our own posts, answering. The server decides who wins an
 * answer; a lost race rejects with `post_gone`.
 */
export class BoardClient extends Emitter<BoardClientEvents> {
  private readonly open = new Map<string, BoardPost>();
  private readonly mine = new Set<string>();
  private _limits: BoardLimits | null = null;
  private watching = false;
  private readonly offs: Array<() => void>;

  constructor(private readonly signaling: SignalingClient) {
    super();
    this.offs = [
      signaling.on('message', (m) => this.onMessage(m)),
      // After a reconnection that lost the session, the server forgot our watch and posts.
      signaling.on('session-lost', () => {
        this.mine.clear();
        if (this.watching) {
          void this.watch().catch(() => undefined);
        }
      }),
    ];
  }

  /** Open posts, oldest first. */
  get posts(): readonly BoardPost[] {
    return [...this.open.values()];
  }

  /** The server's limits, once watching. */
  get limits(): BoardLimits | null {
    return this._limits;
  }

  /** Whether this post is one of ours. */
  isMine(postId: string): boolean {
    return this.mine.has(postId);
  }

  /** Watch the board live: a snapshot, then every change. */
  async watch(): Promise<readonly BoardPost[]> {
    this.watching = true;
    const snap = await this.signaling.request({ type: 'board-watch' }, 'board-snapshot');
    this._limits = snap.limits;
    this.open.clear();
    for (const post of snap.posts) {
      this.open.set(post.id, post);
    }
    this.emit('posts', this.posts);
    return this.posts;
  }

  async unwatch(): Promise<void> {
    this.watching = false;
    await this.signaling.request({ type: 'board-unwatch' }, 'board-unwatched');
  }

  /** Put up an open call. */
  async post(name: string, topic: string, media: BoardMedia): Promise<BoardPost> {
    const reply = await this.signaling.request(
      { type: 'board-post', name, topic, media },
      'board-posted',
    );
    this.mine.add(reply.post.id);
    this.add(reply.post);
    return reply.post;
  }

  /** Take one of our posts down. */
  async withdraw(postId: string): Promise<void> {
    await this.signaling.request({ type: 'board-withdraw', postId }, 'board-withdrawn');
    this.mine.delete(postId);
    this.remove(postId);
  }

  /** Answer a post; resolves when we won it (`paired` fires too). */
  async answer(postId: string, name: string): Promise<BoardPairing> {
    const reply = await this.signaling.request(
      { type: 'board-answer', postId, name },
      'board-paired',
    );
    return strip(reply);
  }

  /** Stop listening (the server forgets the watch when the session ends). */
  close(): void {
    for (const off of this.offs.splice(0)) {
      off();
    }
    this.removeAllListeners();
  }

  private onMessage(m: ServerMessage): void {
    switch (m.type) {
      case 'board-added':
        this.add(m.post);
        break;
      case 'board-removed':
        if (this.mine.delete(m.postId) && m.reason !== 'withdrawn') {
          this.emit('own-removed', m.postId, m.reason);
        }
        this.remove(m.postId);
        break;
      case 'board-paired':
        this.mine.delete(m.postId);
        this.remove(m.postId);
        this.emit('paired', strip(m));
        break;
    }
  }

  private add(post: BoardPost): void {
    if (!this.open.has(post.id)) {
      this.open.set(post.id, post);
      this.emit('posts', this.posts);
    }
  }

  private remove(postId: string): void {
    if (this.open.delete(postId)) {
      this.emit('posts', this.posts);
    }
  }
}

function strip(m: ServerMessageMap['board-paired']): BoardPairing {
  const { type: _type, rid: _rid, ...pairing } = m;
  return pairing;
}
