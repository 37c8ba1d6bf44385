import type { Presence } from '@parley/protocol';
import type { SessionRef } from '../cluster/delivery.js';

/** A signed-in tab, as the reaper of its node finds it. */
export interface TabOfNode {
  userId: string;
  sessionId: string;
}

/**
 * Which signed-in tabs each user has open, on any node, and who is in a call. Each
 * change returns the user's new presence when it changed (computed in the same atomic
 * step, so two nodes never both announce, or both miss, a user going offline).
 */
export interface PresenceDirectory {
  addTab(userId: string, tab: SessionRef): Promise<Presence | null>;
  removeTab(userId: string, tab: SessionRef): Promise<Presence | null>;
  setInCall(userId: string, inCall: boolean): Promise<Presence | null>;
  presenceOf(userId: string): Promise<Presence>;
  presenceOfMany(userIds: readonly string[]): Promise<Map<string, Presence>>;
  /** Every tab of a user, on every node (a call rings all of them). */
  tabsOf(userId: string): Promise<SessionRef[]>;
  /** Every tab on a node (its reaper removes them when it dies). */
  tabsOfNode(nodeId: string): Promise<TabOfNode[]>;
  /** Users online, on all nodes. */
  onlineCount(): Promise<number>;
}

const key = (t: SessionRef): string => `${t.nodeId}/${t.sessionId}`;

export class InMemoryPresenceDirectory implements PresenceDirectory {
  private readonly tabs = new Map<string, Map<string, SessionRef>>();
  private readonly inCall = new Set<string>();

  private now(userId: string): Presence {
    if (!this.tabs.has(userId)) {
      return 'offline';
    }
    return this.inCall.has(userId) ? 'in_call' : 'online';
  }

  private change(userId: string, fn: () => void): Promise<Presence | null> {
    const before = this.now(userId);
    fn();
    const after = this.now(userId);
    return Promise.resolve(before === after ? null : after);
  }

  addTab(userId: string, tab: SessionRef): Promise<Presence | null> {
    return this.change(userId, () => {
      let set = this.tabs.get(userId);
      if (!set) {
        set = new Map();
        this.tabs.set(userId, set);
      }
      set.set(key(tab), tab);
    });
  }

  removeTab(userId: string, tab: SessionRef): Promise<Presence | null> {
    return this.change(userId, () => {
      const set = this.tabs.get(userId);
      set?.delete(key(tab));
      if (set?.size === 0) {
        this.tabs.delete(userId);
      }
    });
  }

  setInCall(userId: string, inCall: boolean): Promise<Presence | null> {
    return this.change(userId, () => {
      if (inCall) {
        this.inCall.add(userId);
      } else {
        this.inCall.delete(userId);
      }
    });
  }

  presenceOf(userId: string): Promise<Presence> {
    return Promise.resolve(this.now(userId));
  }

  presenceOfMany(userIds: readonly string[]): Promise<Map<string, Presence>> {
    return Promise.resolve(new Map(userIds.map((id) => [id, this.now(id)])));
  }

  tabsOf(userId: string): Promise<SessionRef[]> {
    return Promise.resolve([...(this.tabs.get(userId)?.values() ?? [])]);
  }

  tabsOfNode(nodeId: string): Promise<TabOfNode[]> {
    const out: TabOfNode[] = [];
    for (const [userId, set] of this.tabs) {
      for (const t of set.values()) {
        if (t.nodeId === nodeId) {
          out.push({ userId, sessionId: t.sessionId });
        }
      }
    }
    return Promise.resolve(out);
  }

  onlineCount(): Promise<number> {
    return Promise.resolve(this.tabs.size);
  }
}
