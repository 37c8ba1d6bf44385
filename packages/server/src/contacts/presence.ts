import type { Presence } from '@parley/protocol';
import type { Session } from '../signaling/session.js';

/**
 * Which signed-in tabs each user has open, so calls can ring all of them and
 * contacts can see online / in a call / offline across tabs and devices.
 * In-process: with several server nodes this becomes a shared registry.
 */
export class PresenceRegistry {
  private readonly tabs = new Map<string, Set<Session>>();
  private readonly inCall = new Set<string>();
  private readonly listeners: ((userId: string, presence: Presence) => void)[] = [];

  /** Called with the new presence whenever a user's presence changes. */
  onChange(listener: (userId: string, presence: Presence) => void): void {
    this.listeners.push(listener);
  }

  presenceOf(userId: string): Presence {
    if (!this.tabs.has(userId)) {
      return 'offline';
    }
    return this.inCall.has(userId) ? 'in_call' : 'online';
  }

  sessionsOf(userId: string): Session[] {
    return [...(this.tabs.get(userId) ?? [])];
  }

  /** Every signed-in session (for revocation after a sign-out). */
  allSessions(): Session[] {
    return [...this.tabs.values()].flatMap((set) => [...set]);
  }

  add(userId: string, session: Session): void {
    this.update(userId, () => {
      let set = this.tabs.get(userId);
      if (!set) {
        set = new Set();
        this.tabs.set(userId, set);
      }
      set.add(session);
    });
  }

  remove(userId: string, session: Session): void {
    this.update(userId, () => {
      const set = this.tabs.get(userId);
      set?.delete(session);
      if (set?.size === 0) {
        this.tabs.delete(userId);
      }
    });
  }

  setInCall(userId: string, inCall: boolean): void {
    this.update(userId, () => {
      if (inCall) {
        this.inCall.add(userId);
      } else {
        this.inCall.delete(userId);
      }
    });
  }

  private update(userId: string, change: () => void): void {
    const before = this.presenceOf(userId);
    change();
    const after = this.presenceOf(userId);
    if (before !== after) {
      for (const l of this.listeners) {
        try {
          l(userId, after);
        } catch (err) {
          console.error('parley: a presence listener threw', err);
        }
      }
    }
  }
}
