import type { DirectMessage, PublicUser, ServerMessage } from '@parley/protocol';
import { Outbox, type OutboxStorage } from '../chat/outbox.js';
import { Emitter } from '@parley/common';
import { ParleyError } from '../errors.js';
import type { SignalingClient } from '../signaling-client.js';
import type { AccountsApi } from './contacts-api.js';

/** One line of a conversation: stored, or still ours to deliver. */
export type DmEntry =
  | { kind: 'stored'; message: DirectMessage }
  | {
      kind: 'outbox';
      clientId: string;
      text: string;
      createdAt: number;
      status: 'pending' | 'sending' | 'failed';
      error?: string;
      /** The stable code of `error`, so an app can word it in its own language. */
      errorCode?: string;
    };

export type DmConversationEvents = {
  /** Messages, pending sends or their statuses changed: re-read `entries`. */
  change: [];
};

/** Errors after which resending cannot succeed: the user must act. */
const FINAL = new Set(['not_contact', 'bad_message', 'unauthenticated']);

let counter = 0;
const newClientId = (): string =>
  `${Date.now().toString(36)}-${(++counter).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * A direct-message conversation with one contact. Sending is never lost: each message
 * goes to the chat outbox (kept in storage across reloads) and is resent until the
 * server acknowledges it; the server stores a resend once, by client id.
 */
export class DmConversation extends Emitter<DmConversationEvents> {
  private stored = new Map<number, DirectMessage>();
  private readonly outbox: Outbox;
  private readonly offs: (() => void)[];
  private closed = false;
  hasMore = false;

  constructor(
    private readonly signaling: SignalingClient,
    private readonly api: AccountsApi,
    readonly me: PublicUser,
    readonly other: PublicUser,
    storage: OutboxStorage | null = null,
  ) {
    super();
    this.outbox = new Outbox(storage);
    this.outbox.bind(`dm.${me.id}.${other.id}`);
    this.offs = [
      signaling.on('message', (m) => this.onMessage(m)),
      signaling.on('state', (s) => s === 'open' && this.flush(true)),
      signaling.on('session-lost', () => void this.load()),
    ];
  }

  /** Stored messages (oldest first), then what is still in the outbox. */
  get entries(): DmEntry[] {
    const stored = [...this.stored.values()]
      .sort((a, b) => a.id - b.id)
      .map((message) => ({ kind: 'stored' as const, message }));
    const pending = this.outbox.all.map((i) => ({
      kind: 'outbox' as const,
      clientId: i.clientId,
      text: i.text,
      createdAt: i.createdAt,
      status: i.status,
      ...(i.error ? { error: i.error.message, errorCode: i.error.code } : {}),
    }));
    return [...stored, ...pending];
  }

  /** The latest page of history; then resend whatever a previous page left unsent. */
  async load(): Promise<void> {
    const page = await this.api.dmHistory(this.other.id);
    for (const m of page.messages) {
      this.accept(m);
    }
    this.hasMore = page.hasMore;
    this.emit('change');
    this.flush(true);
  }

  async loadOlder(): Promise<void> {
    const oldest = Math.min(...this.stored.keys());
    const page = await this.api.dmHistory(
      this.other.id,
      Number.isFinite(oldest) ? oldest : undefined,
    );
    page.messages.forEach((m) => this.stored.set(m.id, m));
    this.hasMore = page.hasMore;
    this.emit('change');
  }

  send(text: string): void {
    const trimmed = text.trim();
    if (!trimmed) {
      return;
    }
    this.outbox.add({
      clientId: newClientId(),
      text: trimmed,
      createdAt: Date.now(),
      status: 'pending',
    });
    this.emit('change');
    this.flush();
  }

  /** Try a failed message again. */
  retry(clientId: string): void {
    this.outbox.update(clientId, { status: 'pending' });
    this.emit('change');
    this.flush();
  }

  discard(clientId: string): void {
    if (this.outbox.remove(clientId)) {
      this.emit('change');
    }
  }

  /** Tell the server we have read everything shown. */
  markRead(): void {
    const last = Math.max(
      ...[...this.stored.values()].filter((m) => m.from === this.other.id).map((m) => m.id),
    );
    if (Number.isFinite(last) && this.signaling.state === 'open') {
      this.signaling.send({ type: 'dm-read', with: this.other.id, upTo: last });
    }
  }

  private accept(m: DirectMessage): void {
    this.stored.set(m.id, m);
    if (m.from === this.me.id) {
      this.outbox.remove(m.clientId);
    }
  }

  private onMessage(m: ServerMessage): void {
    if (m.type !== 'dm') {
      return;
    }
    const { from, to } = m.message;
    if (
      (from === this.other.id && to === this.me.id) ||
      (from === this.me.id && to === this.other.id)
    ) {
      this.accept(m.message);
      this.emit('change');
    }
  }

  /** Send what is pending (and, after a reconnect, what was in flight). */
  private flush(includeInFlight = false): void {
    if (this.closed || this.signaling.state !== 'open') {
      return;
    }
    for (const item of this.outbox.all) {
      if (item.status === 'pending' || (includeInFlight && item.status === 'sending')) {
        void this.deliver(item.clientId, item.text);
      }
    }
  }

  private async deliver(clientId: string, text: string): Promise<void> {
    this.outbox.update(clientId, { status: 'sending' });
    this.emit('change');
    try {
      const ack = await this.signaling.request(
        { type: 'dm-send', to: this.other.id, clientId, text },
        'dm-sent',
      );
      this.accept(ack.message);
    } catch (err) {
      if (!this.outbox.get(clientId)) {
        return;
      }
      const code = err instanceof ParleyError ? err.code : 'internal';
      if (FINAL.has(code)) {
        this.outbox.update(clientId, {
          status: 'failed',
          error: { code, message: (err as Error).message },
        });
      } else {
        // Lost on the way (timeout, reconnect): resent when the connection is back.
        this.outbox.update(clientId, { status: 'pending' });
      }
    }
    this.emit('change');
  }

  close(): void {
    if (!this.closed) {
      this.closed = true;
      this.offs.forEach((off) => off());
    }
  }
}
