import type { Presence } from '@parley/protocol';
import type { Session } from '../signaling/session.js';
import type { Delivery, SessionRef } from '../cluster/delivery.js';
import type { PresenceDirectory } from './presence-directory.js';

type Listener = (userId: string, presence: Presence) => void;

/**
 * Which signed-in tabs each user has open, on every node, so calls can ring all of
 * them and contacts see online / in a call / offline across tabs and devices. The
 * directory decides (atomically) when a user's presence changes; the node that made
 * the change tells the listeners, once.
 */
export class PresenceService {
  private readonly listeners: Listener[] = [];

  constructor(
    private readonly directory: PresenceDirectory,
    private readonly delivery: Delivery,
  ) {}

  /** Called with the new presence whenever a user's presence changes. */
  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  presenceOf(userId: string): Promise<Presence> {
    return this.directory.presenceOf(userId);
  }

  presenceOfMany(userIds: readonly string[]): Promise<Map<string, Presence>> {
    return this.directory.presenceOfMany(userIds);
  }

  /** Every tab of the user, on every node. */
  tabsOf(userId: string): Promise<SessionRef[]> {
    return this.directory.tabsOf(userId);
  }

  /** Send a serialized frame to every tab of a user, wherever it is (but `except`). */
  toUser(userId: string, frame: string, except?: Session): void {
    this.delivery.toUser(userId, frame, except?.id);
  }

  async add(userId: string, session: Session): Promise<void> {
    await this.delivery.addUserTab(userId, session);
    this.announce(userId, await this.directory.addTab(userId, this.delivery.refOf(session)));
  }

  async remove(userId: string, session: Session): Promise<void> {
    this.delivery.removeUserTab(userId, session);
    this.announce(userId, await this.directory.removeTab(userId, this.delivery.refOf(session)));
  }

  async setInCall(userId: string, inCall: boolean): Promise<void> {
    this.announce(userId, await this.directory.setInCall(userId, inCall));
  }

  /** A node died: its tabs are gone, and their users' contacts are told. */
  async releaseNode(nodeId: string): Promise<void> {
    for (const tab of await this.directory.tabsOfNode(nodeId)) {
      const ref = { nodeId, sessionId: tab.sessionId };
      this.announce(tab.userId, await this.directory.removeTab(tab.userId, ref));
    }
  }

  /** The shared state was lost: write this node's tabs back. */
  async restore(): Promise<void> {
    for (const [userId, tabs] of [...this.delivery.localUsers()]) {
      for (const session of [...tabs]) {
        this.announce(userId, await this.directory.addTab(userId, this.delivery.refOf(session)));
      }
    }
  }

  onlineCount(): Promise<number> {
    return this.directory.onlineCount();
  }

  private announce(userId: string, changed: Presence | null): void {
    if (changed === null) {
      return;
    }
    for (const l of this.listeners) {
      try {
        l(userId, changed);
      } catch (err) {
        console.error('parley: a presence listener threw', err);
      }
    }
  }
}
