import type { ChatLimits, ChatMessage, ServerMessage } from '@parley/protocol';
import { Emitter } from '@parley/common';
import { ParleyError } from '../errors.js';
import type { Room } from '../room.js';
import { randomHexId } from '../data/random-id.js';
import { Outbox } from './outbox.js';
import { TypingTracker, type Typist } from './typing-tracker.js';
import type { ChatClientEvents, ChatClientOptions, ChatEntry } from './chat-types.js';

/** Errors after which resending the same message cannot succeed: the user must act. */
const PERMANENT = new Set(['empty_message', 'message_too_long', 'bad_message', 'internal']);
const TYPING_REFRESH_MS = 3000;

/**
 * Room chat with an outbox. Each message gets a client id and is shown at once as
 * pending; it is sent whenever the room is joined, resent after a drop (the server
 * stores it once per client id), and confirmed by the server's copy. After a
 * reconnect it fetches what was said while away.
 */
export class ChatClient extends Emitter<ChatClientEvents> {
  private readonly stored = new Map<string, ChatMessage>();
  private readonly outbox: Outbox;
  private readonly mine = new Set<string>();
  private readonly typists: TypingTracker;
  private readonly offs: Array<() => void> = [];
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private flushing = false;
  private flushGeneration = 0;
  private lastTypingSent = 0;
  private typingActive = false;
  private _limits: ChatLimits | null = null;
  private _hasOlder = false;
  private lastSeq: number | null = null;
  private catchingUp = false;
  private closed = false;
  private readonly createId: () => string;

  constructor(
    readonly room: Room,
    private readonly options: ChatClientOptions = {},
  ) {
    super();
    this.outbox = new Outbox(options.storage ?? null);
    this.typists = new TypingTracker(
      (list) => this.emit('typing', list),
      options.typingTimeoutMs ?? 6000,
    );
    this.createId = options.createId ?? (() => randomHexId());
    this.offs.push(
      room.signaling.on('message', (m) => this.onServerMessage(m)),
      room.on('state', (state) => {
        if (state === 'joined') {
          this.onJoined();
        }
      }),
      room.on('participant-left', (p) => this.typists.drop(p.id)),
    );
    if (room.state === 'joined') {
      // Made after joining: the history push went by unseen, so ask for the page.
      this.loadOlder().catch(() => {});
      this.onJoined();
    }
  }

  /** The server's limits, once joined. */
  get limits(): ChatLimits | null {
    return this._limits;
  }

  /** Whether older history exists beyond what is loaded. */
  get hasOlder(): boolean {
    return this._hasOlder;
  }

  /** Stored messages by cursor, then ours still on their way in writing order. */
  get entries(): ChatEntry[] {
    const out: ChatEntry[] = [...this.stored.values()]
      .sort((a, b) => a.seq - b.seq)
      .map((m) => this.toEntry(m));
    for (const item of this.outbox.all) {
      out.push({
        key: item.clientId,
        clientId: item.clientId,
        from: null,
        name: this.selfName(),
        text: item.text,
        ts: item.createdAt,
        own: true,
        status: item.status,
        ...(item.error ? { error: item.error } : {}),
      });
    }
    return out;
  }

  get typing(): Typist[] {
    return this.typists.list;
  }

  /**
   * Write a message. It appears at once (pending) and is delivered when possible.
   * Throws a ParleyError for text the server would refuse (empty or too long).
   */
  send(text: string): ChatEntry {
    const trimmed = text.trim();
    if (trimmed.length === 0) {
      throw new ParleyError('empty_message', 'a chat message must not be empty');
    }
    const max = this._limits?.maxLength;
    if (max !== undefined && [...trimmed].length > max) {
      throw new ParleyError('message_too_long', `a chat message is at most ${max} characters`);
    }
    const clientId = this.createId();
    this.mine.add(clientId);
    this.outbox.add({ clientId, text: trimmed, createdAt: Date.now(), status: 'pending' });
    this.setTyping(false);
    this.changed();
    this.flush();
    return this.entries.find((e) => e.clientId === clientId) as ChatEntry;
  }

  /** Send a failed message again. */
  retry(clientId: string): void {
    const item = this.outbox.get(clientId);
    if (item && item.status === 'failed') {
      this.outbox.update(clientId, { status: 'pending' });
      this.changed();
      this.flush();
    }
  }

  /** Give up on an unsent message. */
  discard(clientId: string): void {
    if (this.outbox.remove(clientId)) {
      this.changed();
    }
  }

  /** Tell the room we are (or stopped) typing. Call on every keystroke; it is throttled. */
  setTyping(active: boolean): void {
    if (!this.canSend()) {
      this.typingActive = false;
      return;
    }
    const now = Date.now();
    if (active && (!this.typingActive || now - this.lastTypingSent >= TYPING_REFRESH_MS)) {
      this.typingActive = true;
      this.lastTypingSent = now;
      this.room.signaling.send({ type: 'chat-typing', typing: true });
    } else if (!active && this.typingActive) {
      this.typingActive = false;
      this.room.signaling.send({ type: 'chat-typing', typing: false });
    }
  }

  /** Load the page before the oldest loaded message. Resolves to whether more exist. */
  async loadOlder(limit = 50): Promise<boolean> {
    const oldest = Math.min(...[...this.stored.values()].map((m) => m.seq));
    const page = await this.room.signaling.request(
      Number.isFinite(oldest)
        ? { type: 'chat-history', beforeSeq: oldest, limit }
        : { type: 'chat-history', limit },
      'chat-history',
    );
    this.merge(page.messages);
    this._hasOlder = page.hasMore;
    this.changed();
    return page.hasMore;
  }

  private canSend(): boolean {
    return !this.closed && this.room.state === 'joined' && this.room.signaling.state === 'open';
  }

  private selfName(): string {
    const self = this.room.selfId;
    const sent = [...this.stored.values()].reverse().find((m) => m.from === self);
    return sent?.name ?? 'You';
  }

  private toEntry(m: ChatMessage): ChatEntry {
    return {
      key: m.clientId,
      clientId: m.clientId,
      id: m.id,
      seq: m.seq,
      from: m.from,
      name: m.name,
      text: m.text,
      ts: m.ts,
      own: this.mine.has(m.clientId) || m.from === this.room.selfId,
      status: 'sent',
    };
  }

  private onJoined(): void {
    if (this.room.id) {
      this.outbox.bind(this.room.id);
      for (const item of this.outbox.all) {
        this.mine.add(item.clientId);
      }
    }
    void this.catchUp();
    // Requests in flight when the link dropped may never be answered: send them again.
    this.flush(true);
  }

  private onServerMessage(m: ServerMessage): void {
    if (this.closed) {
      return;
    }
    switch (m.type) {
      case 'chat-message': {
        if (m.message.room !== this.room.id) {
          return;
        }
        const isNew = !this.stored.has(m.message.id);
        this.accept(m.message);
        this.typists.drop(m.message.from);
        const entry = this.toEntry(m.message);
        if (isNew && !entry.own) {
          this.emit('message', entry);
        }
        break;
      }
      case 'chat-history':
        // Requested pages are merged by whoever asked; this is the push after joining.
        if (m.rid === undefined && m.room === this.room.id) {
          if (m.limits) {
            this._limits = m.limits;
            this.emit('limits', m.limits);
          }
          const gap =
            this.lastSeq !== null &&
            m.hasMore &&
            m.messages.length > 0 &&
            (m.messages[0] as ChatMessage).seq > this.lastSeq + 1;
          if (this.stored.size === 0 || !gap) {
            this._hasOlder = m.hasMore;
          }
          this.merge(m.messages);
          this.changed();
        }
        break;
      case 'chat-typing':
        this.typists.update(m.from, m.name, m.typing);
        break;
      default:
        break;
    }
  }

  private accept(message: ChatMessage): void {
    this.stored.set(message.id, message);
    this.lastSeq = Math.max(this.lastSeq ?? 0, message.seq);
    this.outbox.remove(message.clientId);
    this.changed();
  }

  private merge(messages: ChatMessage[]): void {
    for (const m of messages) {
      this.stored.set(m.id, m);
      this.lastSeq = Math.max(this.lastSeq ?? 0, m.seq);
      this.outbox.remove(m.clientId);
    }
  }

  /** Fetch everything after the last message we saw (after a reconnect). */
  private async catchUp(): Promise<void> {
    if (this.catchingUp || this.lastSeq === null) {
      return;
    }
    this.catchingUp = true;
    try {
      for (;;) {
        if (!this.canSend() || this.lastSeq === null) {
          return;
        }
        const page = await this.room.signaling.request(
          { type: 'chat-history', afterSeq: this.lastSeq, limit: 200 },
          'chat-history',
        );
        this.merge(page.messages);
        this.changed();
        if (!page.hasMore) {
          return;
        }
      }
    } catch {
      /* the next reconnect tries again */
    } finally {
      this.catchingUp = false;
    }
  }

  /**
   * Send every message not yet confirmed, one at a time in writing order, so that a
   * rate limit or a drop never reorders them. `restart` (after a reconnect) abandons a
   * loop that may be waiting for a reply that will never come: resends are stored once.
   */
  private flush(restart = false): void {
    if (restart) {
      this.flushGeneration += 1;
      this.flushing = false;
      for (const item of this.outbox.all) {
        if (item.status === 'sending') {
          this.outbox.update(item.clientId, { status: 'pending' });
        }
      }
    }
    if (this.flushing || !this.canSend()) {
      return;
    }
    this.flushing = true;
    const generation = this.flushGeneration;
    void (async () => {
      try {
        for (;;) {
          const item = this.outbox.all.find((i) => i.status === 'pending');
          if (!item || !this.canSend() || generation !== this.flushGeneration) {
            return;
          }
          if (!(await this.transmit(item.clientId, item.text))) {
            return;
          }
        }
      } finally {
        if (generation === this.flushGeneration) {
          this.flushing = false;
        }
      }
    })();
  }

  /** Send one message; false when it should be retried later (and a retry is scheduled). */
  private async transmit(clientId: string, text: string): Promise<boolean> {
    this.outbox.update(clientId, { status: 'sending' });
    this.changed();
    try {
      const reply = await this.room.signaling.request(
        { type: 'chat-send', clientId, text },
        'chat-message',
      );
      this.accept(reply.message);
      return true;
    } catch (err) {
      const code = err instanceof ParleyError ? err.code : 'internal';
      const message = err instanceof Error ? err.message : String(err);
      if (!this.outbox.get(clientId)) {
        return true; // confirmed meanwhile (e.g. by a resend or the history)
      }
      if (PERMANENT.has(code)) {
        this.outbox.update(clientId, { status: 'failed', error: { code, message } });
        this.changed();
        return true;
      }
      // rate_limited, timeout, not_joined, closed: try again later or on the next join.
      this.outbox.update(clientId, { status: 'pending' });
      this.changed();
      this.scheduleRetry();
      return false;
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) {
      return;
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.flush();
    }, this.options.retryDelayMs ?? 1500);
  }

  private changed(): void {
    this.emit('change', this.entries);
  }

  /** Stop listening (the outbox stays in storage for the next page). Safe to call twice. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    for (const off of this.offs.splice(0)) {
      off();
    }
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
    }
    this.typists.clear();
    this.removeAllListeners();
  }
}
