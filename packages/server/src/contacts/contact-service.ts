import type { Contact, ContactStatus, Presence, PublicUser, ServerMessage } from '@parley/protocol';
import { publicUser, type AccountStore } from '../accounts/index.js';
import type { ContactStore } from './contact-store.js';
import type { PresenceService } from './presence.js';

/** Why a contact operation failed; the HTTP layer maps it to a status. */
export class ContactError extends Error {
  override name = 'ContactError';
  constructor(
    readonly code: 'unknown_user' | 'bad_message' | 'not_contact',
    message: string,
  ) {
    super(message);
  }
}

/** Unread direct messages per other user (supplied by the DM feature). */
export type UnreadCounter = (userId: string) => Promise<Map<string, number>>;

/**
 * Contacts: requests, accept, decline, remove, block, and the policy every other
 * feature asks before letting two users interact (`canInteract`). Relation changes
 * and presence are pushed to the users' signed-in tabs.
 */
export class ContactService {
  unreadCounter: UnreadCounter = async () => new Map();
  /** Told when two users stop being contacts (remove or block), to end what they share. */
  onSeparated: (a: string, b: string) => void = () => undefined;
  private closed = false;

  constructor(
    private readonly store: ContactStore,
    private readonly accounts: AccountStore,
    private readonly presence: PresenceService,
    private readonly now: () => number = Date.now,
  ) {
    presence.onChange((userId, p) => void this.broadcastPresence(userId, p));
  }

  /** True when both sides have accepted each other (a block on either side removes it). */
  async canInteract(a: string, b: string): Promise<boolean> {
    if (a === b) {
      return false;
    }
    const [ab, ba] = await Promise.all([this.store.get(a, b), this.store.get(b, a)]);
    return ab === 'accepted' && ba === 'accepted';
  }

  async findUser(username: string): Promise<PublicUser> {
    const account = await this.accounts.byUsername(username);
    if (!account) {
      throw new ContactError('unknown_user', `no user "${username}"`);
    }
    return publicUser(account);
  }

  async list(userId: string): Promise<Contact[]> {
    const [rows, unread] = await Promise.all([this.store.list(userId), this.unreadCounter(userId)]);
    const presence = await this.presence.presenceOfMany(
      rows.filter((r) => r.status === 'accepted').map((r) => r.otherId),
    );
    const out: Contact[] = [];
    for (const row of rows) {
      const account = await this.accounts.byId(row.otherId);
      if (account) {
        const user = publicUser(account);
        out.push({
          user,
          status: row.status,
          presence: presence.get(row.otherId) ?? 'offline',
          unread: unread.get(row.otherId) ?? 0,
        });
      }
    }
    return out.sort((x, y) => x.user.username.localeCompare(y.user.username));
  }

  private async view(user: PublicUser, status: ContactStatus, unread = 0): Promise<Contact> {
    const presence: Presence =
      status === 'accepted' ? await this.presence.presenceOf(user.id) : 'offline';
    return { user, status, presence, unread };
  }

  /**
   * Ask `username` to be a contact. If they already asked us, this accepts. If they
   * blocked us, our request looks sent but they never see it.
   */
  async request(me: PublicUser, username: string): Promise<Contact> {
    const them = await this.findUser(username);
    if (them.id === me.id) {
      throw new ContactError('bad_message', 'you cannot add yourself');
    }
    const [mine, theirs] = await Promise.all([
      this.store.get(me.id, them.id),
      this.store.get(them.id, me.id),
    ]);
    if (mine === 'accepted') {
      return this.view(them, 'accepted');
    }
    if (mine === 'incoming') {
      return this.accept(me, them.id);
    }
    await this.store.set({
      ownerId: me.id,
      otherId: them.id,
      status: 'outgoing',
      since: this.now(),
    });
    if (theirs !== 'blocked') {
      await this.store.set({
        ownerId: them.id,
        otherId: me.id,
        status: 'incoming',
        since: this.now(),
      });
      await this.push(them.id, me, 'incoming');
    }
    await this.push(me.id, them, 'outgoing');
    return this.view(them, 'outgoing');
  }

  async accept(me: PublicUser, otherId: string): Promise<Contact> {
    const them = await this.userById(otherId);
    if ((await this.store.get(me.id, otherId)) !== 'incoming') {
      throw new ContactError('not_contact', 'there is no request from this user');
    }
    const since = this.now();
    await this.store.set({ ownerId: me.id, otherId, status: 'accepted', since });
    await this.store.set({ ownerId: otherId, otherId: me.id, status: 'accepted', since });
    await this.push(me.id, them, 'accepted');
    await this.push(otherId, me, 'accepted');
    return this.view(them, 'accepted');
  }

  /** Decline a request, or remove a contact (or withdraw my request): both rows go. */
  async remove(me: PublicUser, otherId: string): Promise<void> {
    const them = await this.userById(otherId);
    const theirs = await this.store.get(otherId, me.id);
    await this.store.delete(me.id, otherId);
    if (theirs !== 'blocked' && theirs !== undefined) {
      await this.store.delete(otherId, me.id);
      await this.push(otherId, me, null);
    }
    await this.push(me.id, them, null);
    this.onSeparated(me.id, otherId);
  }

  /** Block: they can no longer call, message or request us; they lose us as a contact. */
  async block(me: PublicUser, otherId: string): Promise<Contact> {
    const them = await this.userById(otherId);
    await this.store.set({ ownerId: me.id, otherId, status: 'blocked', since: this.now() });
    const theirs = await this.store.get(otherId, me.id);
    if (theirs !== undefined && theirs !== 'blocked') {
      await this.store.delete(otherId, me.id);
      await this.push(otherId, me, null);
    }
    await this.push(me.id, them, 'blocked');
    this.onSeparated(me.id, otherId);
    return this.view(them, 'blocked');
  }

  async unblock(me: PublicUser, otherId: string): Promise<void> {
    const them = await this.userById(otherId);
    if ((await this.store.get(me.id, otherId)) === 'blocked') {
      await this.store.delete(me.id, otherId);
      await this.push(me.id, them, null);
    }
  }

  private async userById(id: string): Promise<PublicUser> {
    const account = await this.accounts.byId(id);
    if (!account) {
      throw new ContactError('unknown_user', 'no such user');
    }
    return publicUser(account);
  }

  private sendTo(userId: string, message: ServerMessage): void {
    this.presence.toUser(userId, JSON.stringify(message));
  }

  /** Tell `userId`'s tabs how they now relate to `other` (null: no relation). */
  private async push(
    userId: string,
    other: PublicUser,
    status: ContactStatus | null,
  ): Promise<void> {
    this.sendTo(userId, {
      type: 'contact-update',
      userId: other.id,
      contact: status === null ? null : await this.view(other, status),
    });
  }

  /** Stop pushing presence (server shutdown: sessions end after the database closes). */
  close(): void {
    this.closed = true;
  }

  private async broadcastPresence(userId: string, presence: Presence): Promise<void> {
    if (this.closed) {
      return;
    }
    try {
      for (const row of await this.store.list(userId)) {
        if (row.status === 'accepted') {
          this.sendTo(row.otherId, { type: 'presence', userId, presence });
        }
      }
    } catch (err) {
      if (!this.closed) {
        console.error('parley: could not broadcast presence', err);
      }
    }
  }
}
