import type { SessionRef } from '../cluster/delivery.js';
import type { CallSnapshot } from './call-types.js';

/**
 * A direct call as the cluster keeps it: plain data, so any node can read and change
 * it. Endpoints are tabs (gateway sessions) named by session and node.
 */
export interface CallRecord extends CallSnapshot {
  /** Bumped by every change; `replace` names the version it read (compare and set). */
  version: number;
  callerEndpoint: SessionRef;
  /** The callee tab that answered (once active). */
  calleeEndpoint?: SessionRef;
  /** Callee tabs that are ringing (while ringing). */
  ringing: SessionRef[];
}

export type CreateOutcome = { ok: true } | { ok: false; busyUserId: string };

/**
 * Where live calls are kept, on one node or many. Every change is a compare-and-set on
 * the record's version, so "first accept wins", "a hang-up and a timeout at once end a
 * call once" and the like hold across nodes: the loser re-reads and sees the new state.
 */
export interface CallDirectory {
  /** Store a new ringing call unless its caller or callee already has a live call. */
  create(call: CallRecord): Promise<CreateOutcome>;
  /** A live call, or one that ended recently (so late messages get a precise answer). */
  get(callId: string): Promise<CallRecord | undefined>;
  /** The one live (ringing or active) call of a user. */
  ofUser(userId: string): Promise<CallRecord | undefined>;
  /**
   * Write `next` if the stored version is still `next.version - 1`. A call written as
   * ended frees both users and is kept for a while as recently ended.
   */
  replace(next: CallRecord): Promise<boolean>;
  /** Live calls with an endpoint (caller, answering or ringing tab) on a node. */
  ofNode(nodeId: string): Promise<CallRecord[]>;
  /** Put a live call back after the shared state was lost (no-op when it is there). */
  restore(call: CallRecord): Promise<void>;
  liveCount(): Promise<number>;
}

/** True when the record names this endpoint in any role. */
export function hasEndpoint(call: CallRecord, ep: SessionRef): boolean {
  return (
    sameRef(call.callerEndpoint, ep) ||
    (call.calleeEndpoint !== undefined && sameRef(call.calleeEndpoint, ep)) ||
    call.ringing.some((r) => sameRef(r, ep))
  );
}

export function sameRef(a: SessionRef, b: SessionRef): boolean {
  return a.sessionId === b.sessionId && a.nodeId === b.nodeId;
}

/** Ended calls remembered for late messages, at most. */
const RECENTLY_ENDED_MAX = 1000;

export class InMemoryCallDirectory implements CallDirectory {
  private readonly live = new Map<string, CallRecord>();
  private readonly ended = new Map<string, CallRecord>();
  private readonly byUser = new Map<string, string>();

  create(call: CallRecord): Promise<CreateOutcome> {
    for (const userId of [call.caller.id, call.callee.id]) {
      if (this.byUser.has(userId)) {
        return Promise.resolve({ ok: false, busyUserId: userId });
      }
    }
    this.live.set(call.id, structuredClone(call));
    this.byUser.set(call.caller.id, call.id);
    this.byUser.set(call.callee.id, call.id);
    return Promise.resolve({ ok: true });
  }

  get(callId: string): Promise<CallRecord | undefined> {
    const found = this.live.get(callId) ?? this.ended.get(callId);
    return Promise.resolve(found && structuredClone(found));
  }

  ofUser(userId: string): Promise<CallRecord | undefined> {
    const id = this.byUser.get(userId);
    const found = id === undefined ? undefined : this.live.get(id);
    return Promise.resolve(found && structuredClone(found));
  }

  replace(next: CallRecord): Promise<boolean> {
    const current = this.live.get(next.id);
    if (!current || current.version !== next.version - 1) {
      return Promise.resolve(false);
    }
    const copy = structuredClone(next);
    if (copy.state !== 'ended') {
      this.live.set(copy.id, copy);
      return Promise.resolve(true);
    }
    this.live.delete(copy.id);
    for (const userId of [copy.caller.id, copy.callee.id]) {
      if (this.byUser.get(userId) === copy.id) {
        this.byUser.delete(userId);
      }
    }
    this.ended.set(copy.id, copy);
    if (this.ended.size > RECENTLY_ENDED_MAX) {
      const oldest = this.ended.keys().next().value;
      if (oldest !== undefined) {
        this.ended.delete(oldest);
      }
    }
    return Promise.resolve(true);
  }

  ofNode(nodeId: string): Promise<CallRecord[]> {
    const out = [...this.live.values()].filter(
      (c) =>
        c.callerEndpoint.nodeId === nodeId ||
        c.calleeEndpoint?.nodeId === nodeId ||
        c.ringing.some((r) => r.nodeId === nodeId),
    );
    return Promise.resolve(out.map((c) => structuredClone(c)));
  }

  async restore(call: CallRecord): Promise<void> {
    if (!this.live.has(call.id) && !this.ended.has(call.id)) {
      await this.create(call);
    }
  }

  liveCount(): Promise<number> {
    return Promise.resolve(this.live.size);
  }
}
