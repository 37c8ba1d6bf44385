import type {
  CallEndReason,
  CallMedia,
  MediaState,
  PublicUser,
  ServerMessage,
  ServerMessageMap,
} from '@parley/protocol';
import { ProtocolError } from '../signaling/protocol-error.js';
import { randomId } from '../signaling/ids.js';
import type { SessionRef } from '../cluster/delivery.js';
import { hasEndpoint, sameRef, type CallDirectory, type CallRecord } from './call-directory.js';
import {
  snapshot,
  type CallEngineListener,
  type CallEngineOptions,
  type CallSnapshot,
} from './call-types.js';

export type { CallEngineListener, CallEngineOptions, CallSnapshot };

/** A compare-and-set that keeps losing means something else is wrong; give up loudly. */
const MAX_ATTEMPTS = 8;

/**
 * The state machine of direct calls, on one node or many. The call directory is the
 * single source of truth and every transition is a compare-and-set on it, so two tabs
 * on two nodes, two racing messages or a crashed node cannot leave a call half-open:
 * the loser of a race re-reads and answers from the new state.
 *
 *   ringing ──accept──▶ active ──end/drop──▶ ended(hangup|failed)
 *      └──end/timeout/drop──▶ ended(cancelled|declined|no_answer|unavailable|failed)
 *   (invite to a busy or offline user goes straight to ended(busy|unavailable))
 *
 * Timers run where their subject is: the ring timer on the node that placed the call,
 * a drop timer on the node whose socket dropped. A timer that fires after the call moved
 * on finds it changed and does nothing.
 */
export class CallEngine {
  private readonly ringTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** `${callId} ${sessionId}` → the timer that ends the call if that dropped tab does not return. */
  private readonly dropTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Live calls with a tab on this node, as last seen: written back if Redis loses them. */
  private readonly known = new Map<string, CallRecord>();
  /** Sessions of this node that left for another one while in a call (drain). */
  private readonly moving = new Set<string>();
  /** Calls left to their moving tabs when this node shut down. */
  private readonly handingOver = new Set<string>();
  private readonly now: () => number;
  private closed = false;

  constructor(
    private readonly directory: CallDirectory,
    private readonly options: CallEngineOptions,
    private readonly listener: CallEngineListener = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The live call of a user, if any. */
  async callOf(userId: string): Promise<CallSnapshot | undefined> {
    const call = await this.directory.ofUser(userId);
    return call ? snapshot(call) : undefined;
  }

  /** True while the user has an answered call. */
  async isInCall(userId: string): Promise<boolean> {
    return (await this.directory.ofUser(userId))?.state === 'active';
  }

  liveCount(): Promise<number> {
    return this.directory.liveCount();
  }

  /**
   * Ring `callee` from one tab of `caller`. The caller's tab gets a `call-state` reply:
   * `ringing`, or `ended` at once when the callee is busy or offline. When the callee is
   * ringing us right now (both pressed "call" at the same moment), this answers that
   * call instead of starting a second one.
   */
  async invite(
    from: SessionRef,
    caller: PublicUser,
    callee: PublicUser,
    media: CallMedia,
    rid?: string,
  ): Promise<void> {
    if (caller.id === callee.id) {
      throw new ProtocolError('bad_message', 'you cannot call yourself');
    }
    const mine = await this.directory.ofUser(caller.id);
    if (mine) {
      if (
        mine.state === 'ringing' &&
        mine.caller.id === callee.id &&
        mine.callee.id === caller.id
      ) {
        return this.accept(from, caller.id, mine.id, rid);
      }
      throw new ProtocolError('already_in_call', 'you are already in a call: end it first');
    }
    const endpoints = await this.options.endpointsOf(callee.id);
    const call: CallRecord = {
      id: randomId(12),
      version: 1,
      caller,
      callee,
      media,
      state: 'ringing',
      createdAt: this.now(),
      callerEndpoint: from,
      ringing: endpoints,
    };
    const created = endpoints.length === 0 ? null : await this.directory.create(call);
    if (created && !created.ok) {
      // Both pressed "call" at the same moment, on two nodes: the other call won the
      // race to be created, so this invite answers it, as it would have on one node.
      const theirs = await this.directory.ofUser(caller.id);
      if (
        theirs?.state === 'ringing' &&
        theirs.caller.id === callee.id &&
        theirs.callee.id === caller.id
      ) {
        return this.accept(from, caller.id, theirs.id, rid);
      }
      if (created.busyUserId === caller.id) {
        throw new ProtocolError('already_in_call', 'you are already in a call: end it first');
      }
    }
    if (!created || !created.ok) {
      // Never rang: the caller learns why at once, and history keeps it (a missed call).
      const never: CallRecord = {
        ...call,
        state: 'ended',
        endReason: created ? 'busy' : 'unavailable',
        endedAt: call.createdAt,
        ringing: [],
      };
      this.options.send(from, this.stateMessage(never, 'caller', rid));
      this.notify(() => this.listener.ended?.(snapshot(never)));
      return;
    }
    this.remember(call);
    this.options.send(from, this.stateMessage(call, 'caller', rid));
    for (const ep of endpoints) {
      this.ring(call, ep);
    }
    const timer = setTimeout(() => {
      this.ringTimers.delete(call.id);
      this.finishIf(call.id, (c) => (c.state === 'ringing' ? 'no_answer' : null)).catch(
        (err: unknown) => this.fail('ring timeout', err),
      );
    }, this.options.ringTimeoutMs);
    timer.unref?.();
    this.ringTimers.set(call.id, timer);
  }

  private ring(call: CallRecord, ep: SessionRef): void {
    this.options.send(ep, {
      type: 'call-incoming',
      callId: call.id,
      from: call.caller,
      media: call.media,
      expiresAt: call.createdAt + this.options.ringTimeoutMs,
    });
  }

  /** A tab of `userId` came online: if they are being rung, ring it too. */
  async endpointAdded(userId: string, ep: SessionRef): Promise<void> {
    const next = await this.change(
      () => this.directory.ofUser(userId),
      (c) =>
        c.state === 'ringing' && c.callee.id === userId && !c.ringing.some((r) => sameRef(r, ep))
          ? { ...c, ringing: [...c.ringing, ep] }
          : null,
    );
    if (next) {
      this.ring(next, ep);
    }
  }

  /**
   * Answer on this tab. The first accept wins, on whatever node; other tabs of the callee
   * hear `answered_elsewhere`, and a late accept gets `call_not_ringing`.
   */
  async accept(ep: SessionRef, userId: string, callId: string, rid?: string): Promise<void> {
    let before: CallRecord | undefined;
    const next = await this.change(
      () => this.directory.get(callId),
      (c) => {
        if (c.callee.id !== userId) {
          throw new ProtocolError('unknown_call', 'no such call for you');
        }
        if (c.state !== 'ringing') {
          throw new ProtocolError(
            'call_not_ringing',
            c.state === 'ended' ? 'this call has ended' : 'this call is no longer ringing',
          );
        }
        before = c;
        return {
          ...c,
          state: 'active',
          answeredAt: this.now(),
          calleeEndpoint: ep,
          ringing: [],
        };
      },
    );
    if (!next || !before) {
      throw new ProtocolError('unknown_call', 'no such call for you');
    }
    this.clearRingTimer(callId);
    // The callee hears `active` before the caller, so that the caller's first offer
    // (sent when it hears `active`) always reaches a callee that knows the call.
    this.options.send(ep, this.stateMessage(next, 'callee', rid, ep));
    this.options.send(
      next.callerEndpoint,
      this.stateMessage(next, 'caller', undefined, next.callerEndpoint),
    );
    for (const other of before.ringing.filter((t) => !sameRef(t, ep))) {
      this.options.send(other, {
        ...this.stateMessage(next, 'callee'),
        state: 'ended',
        reason: 'answered_elsewhere',
      });
    }
    this.notify(() => this.listener.inCall?.(next.caller.id, true));
    this.notify(() => this.listener.inCall?.(next.callee.id, true));
  }

  /**
   * Leave the call from this tab: the caller while ringing cancels, the callee while
   * ringing declines (for all their tabs), either side once active hangs up.
   */
  async end(ep: SessionRef, userId: string, callId: string, rid?: string): Promise<void> {
    const call = await this.directory.get(callId);
    if (call?.state === 'ended' && wasIn(call, userId)) {
      // Both sides hung up at once: ending is idempotent, the answer is how it ended.
      const role = call.caller.id === userId ? 'caller' : 'callee';
      this.options.send(ep, this.stateMessage(call, role, rid));
      return;
    }
    if (!call || !isParty(call, ep, userId)) {
      throw new ProtocolError('unknown_call', 'no such call for you');
    }
    const ended = await this.finishIf(
      callId,
      (c) => {
        if (c.state === 'ended') {
          return null;
        }
        if (c.state === 'active') {
          return 'hangup';
        }
        return sameRef(ep, c.callerEndpoint) ? 'cancelled' : 'declined';
      },
      ep,
      rid,
    );
    if (!ended) {
      // Someone else ended it first: answer with how it ended.
      return this.end(ep, userId, callId, rid);
    }
  }

  /** Relay a signaling payload to the other side of an active call. */
  async relay(
    ep: SessionRef,
    userId: string,
    callId: string,
    message: ServerMessage,
  ): Promise<void> {
    const call = await this.directory.get(callId);
    if (call?.state === 'ended' && wasIn(call, userId)) {
      return; // candidates and media updates in flight when the call ended
    }
    if (!call || call.state !== 'active' || !isParty(call, ep, userId)) {
      throw new ProtocolError('unknown_call', 'no active call with that id for this tab');
    }
    this.remember(call);
    const other = sameRef(ep, call.callerEndpoint) ? call.calleeEndpoint : call.callerEndpoint;
    if (other) {
      this.options.send(other, message);
    }
  }

  /** A side's mic/camera changed; turning a camera on upgrades a voice call to video. */
  async mediaChanged(
    ep: SessionRef,
    userId: string,
    callId: string,
    media: MediaState,
  ): Promise<void> {
    await this.relay(ep, userId, callId, { type: 'call-media', callId, media });
    if (media.video) {
      await this.change(
        () => this.directory.get(callId),
        (c) => (c.state === 'active' && c.media === 'audio' ? { ...c, media: 'video' } : null),
      );
    }
  }

  /** The tab's socket dropped: its call ends unless it resumes within the grace. */
  async endpointDetached(ep: SessionRef, userId: string): Promise<void> {
    const call = await this.directory.ofUser(userId);
    if (!call || !hasEndpoint(call, ep)) {
      return;
    }
    if (call.state === 'ringing' && call.ringing.some((r) => sameRef(r, ep))) {
      return; // a ringing callee tab simply stops counting once it ends for good
    }
    this.startDropTimer(call.id, ep);
  }

  /**
   * The tab left for another node (its node is draining): an active call waits for it
   * to rejoin from there (`rejoin`) for the drop grace, then ends as `failed`. Anything
   * else is as if the tab were gone.
   */
  async endpointMoving(ep: SessionRef, userId: string): Promise<void> {
    const call = await this.directory.ofUser(userId);
    const inCall =
      call?.state === 'active' &&
      (sameRef(call.callerEndpoint, ep) ||
        (call.calleeEndpoint !== undefined && sameRef(call.calleeEndpoint, ep)));
    if (call && inCall) {
      this.moving.add(ep.sessionId);
      this.startDropTimer(call.id, ep);
      return;
    }
    await this.endpointRemoved(ep, userId);
  }

  /**
   * Take a tab's place in an active call again from a new session (the old one moved
   * or its node died). Only the user's own side, only while the call is active.
   */
  async rejoin(ep: SessionRef, userId: string, callId: string, rid?: string): Promise<void> {
    let old: SessionRef | undefined;
    const next = await this.change(
      () => this.directory.get(callId),
      (c) => {
        if (c.caller.id !== userId && c.callee.id !== userId) {
          throw new ProtocolError('unknown_call', 'no such call for you');
        }
        if (c.state !== 'active') {
          throw new ProtocolError('unknown_call', 'this call is not in progress any more');
        }
        const { handoverUntil: _done, ...rest } = c;
        if (c.caller.id === userId) {
          old = c.callerEndpoint;
          return { ...rest, callerEndpoint: ep };
        }
        old = c.calleeEndpoint;
        return { ...rest, calleeEndpoint: ep };
      },
    );
    if (!next) {
      throw new ProtocolError('unknown_call', 'no such call for you');
    }
    const role = next.caller.id === userId ? 'caller' : 'callee';
    this.options.send(ep, this.stateMessage(next, role, rid, ep));
    if (old && !sameRef(old, ep)) {
      // If the old tab is still there after all, it is no longer the one in the call.
      this.options.send(old, {
        ...this.stateMessage(next, role),
        state: 'ended',
        reason: 'answered_elsewhere',
      });
    }
  }

  /** End the call as `failed` after `ms` if it still has a tab on `nodeId` by then. */
  private endUnlessRejoined(callId: string, nodeId: string, ms: number): void {
    const timer = setTimeout(() => {
      this.ringTimers.delete(`handover ${callId}`);
      this.finishIf(callId, (c) =>
        c.state !== 'ended' &&
        (c.callerEndpoint.nodeId === nodeId || c.calleeEndpoint?.nodeId === nodeId)
          ? 'failed'
          : null,
      ).catch((err: unknown) => this.fail('handover timeout', err));
    }, ms);
    timer.unref?.();
    this.ringTimers.set(`handover ${callId}`, timer);
  }

  /** End the call as `failed` after the drop grace unless `ep` has left it by then. */
  private startDropTimer(callId: string, ep: SessionRef): void {
    const key = `${callId} ${ep.sessionId}`;
    if (this.dropTimers.has(key)) {
      return;
    }
    const timer = setTimeout(() => {
      this.dropTimers.delete(key);
      this.moving.delete(ep.sessionId);
      this.finishIf(callId, (c) =>
        c.state !== 'ended' && hasEndpoint(c, ep) ? 'failed' : null,
      ).catch((err: unknown) => this.fail('drop timeout', err));
    }, this.options.dropGraceMs);
    timer.unref?.();
    this.dropTimers.set(key, timer);
  }

  /** The tab's socket came back in time. */
  endpointResumed(ep: SessionRef): void {
    for (const [key, timer] of this.dropTimers) {
      if (key.endsWith(` ${ep.sessionId}`)) {
        clearTimeout(timer);
        this.dropTimers.delete(key);
      }
    }
  }

  /** The tab is gone for good (closed, signed out, or its resume grace ran out). */
  async endpointRemoved(ep: SessionRef, userId: string): Promise<void> {
    this.endpointResumed(ep);
    await this.removeEndpoints(
      () => this.directory.ofUser(userId),
      (r) => sameRef(r, ep),
    );
  }

  /** A dead node's tabs: calls it held end as `failed`; its ringing tabs stop ringing. */
  async releaseNode(nodeId: string): Promise<void> {
    for (const call of await this.directory.ofNode(nodeId)) {
      if (nodeId === this.options.nodeId && this.handingOver.has(call.id)) {
        // Shutting down after a drain: its tab is rejoining the call from another node.
        // If it never does, the node that reaps this one ends the call.
        continue;
      }
      const wait = (call.handoverUntil ?? 0) - this.now();
      if (call.state === 'active' && wait > 0) {
        // A drained node handed this call to its moving tab: give the tab until then.
        this.endUnlessRejoined(call.id, nodeId, wait);
        continue;
      }
      await this.removeEndpoints(
        () => this.directory.get(call.id),
        (r) => r.nodeId === nodeId,
      );
    }
  }

  /** The shared state was lost: write back the live calls this node takes part in. */
  async restore(): Promise<void> {
    for (const call of [...this.known.values()]) {
      await this.directory.restore(call);
      if (call.state === 'active') {
        this.notify(() => this.listener.inCall?.(call.caller.id, true));
        this.notify(() => this.listener.inCall?.(call.callee.id, true));
      }
    }
  }

  /** End the live call between two users, if any (one of them blocked or removed the other). */
  async endBetween(a: string, b: string): Promise<void> {
    const call = await this.directory.ofUser(a);
    if (call && (call.caller.id === b || call.callee.id === b)) {
      await this.finishIf(call.id, (c) =>
        c.state === 'ended' ? null : c.state === 'active' ? 'hangup' : 'cancelled',
      );
    }
  }

  /**
   * This node is shutting down: its tabs' calls end (both sides are told). Calls between
   * tabs on other nodes go on.
   */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    for (const [key, t] of this.dropTimers) {
      const [callId, sessionId] = key.split(' ');
      if (callId && sessionId && this.moving.has(sessionId)) {
        this.handingOver.add(callId);
      }
      clearTimeout(t);
    }
    for (const t of this.ringTimers.values()) {
      clearTimeout(t);
    }
    this.ringTimers.clear();
    this.dropTimers.clear();
    // The calls whose tabs are moving outlive this node: whoever reaps it waits for them.
    const until = this.now() + this.options.dropGraceMs;
    for (const callId of this.handingOver) {
      await this.change(
        () => this.directory.get(callId),
        (c) => (c.state === 'active' ? { ...c, handoverUntil: until } : null),
      ).catch((err: unknown) => this.fail('handover', err));
    }
    await this.releaseNode(this.options.nodeId);
  }

  /**
   * Take the endpoints `gone` out of a call: a ringing callee tab stops ringing (the
   * call ends as `unavailable` with the last one); anything else ends it as `failed`.
   */
  private async removeEndpoints(
    read: () => Promise<CallRecord | undefined>,
    gone: (ref: SessionRef) => boolean,
  ): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const call = await read();
      if (!call || call.state === 'ended') {
        return;
      }
      const ringingOnly =
        call.state === 'ringing' && !gone(call.callerEndpoint) && call.ringing.some((r) => gone(r));
      if (ringingOnly) {
        const ringing = call.ringing.filter((r) => !gone(r));
        if (ringing.length > 0) {
          const next = { ...call, ringing, version: call.version + 1 };
          if (await this.directory.replace(next)) {
            this.remember(next);
            return;
          }
          continue;
        }
        if (await this.finish(call, 'unavailable')) {
          return;
        }
        continue;
      }
      const involved =
        gone(call.callerEndpoint) ||
        (call.calleeEndpoint !== undefined && gone(call.calleeEndpoint));
      if (!involved) {
        return;
      }
      if (await this.finish(call, 'failed')) {
        return;
      }
    }
    throw new Error('call directory: too many conflicting updates');
  }

  /**
   * Read, decide, compare-and-set; again if someone else changed the call meanwhile.
   * `decide` returns the next record (without the version bump), null for "nothing to
   * do", or throws a ProtocolError for the sender. Resolves to the record written.
   */
  private async change(
    read: () => Promise<CallRecord | undefined>,
    decide: (call: CallRecord) => CallRecord | null,
  ): Promise<CallRecord | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const call = await read();
      if (!call) {
        return undefined;
      }
      const decided = decide(call);
      if (!decided) {
        this.remember(call);
        return undefined;
      }
      const next = { ...decided, version: call.version + 1 };
      if (await this.directory.replace(next)) {
        this.remember(next);
        return next;
      }
    }
    throw new Error('call directory: too many conflicting updates');
  }

  /** End the call for `reason(call)` unless that says null; true when this call ended it. */
  private async finishIf(
    callId: string,
    reason: (call: CallRecord) => CallEndReason | null,
    by?: SessionRef,
    rid?: string,
  ): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const call = await this.directory.get(callId);
      const why = call ? reason(call) : null;
      if (!call || !why) {
        return false;
      }
      if (await this.finish(call, why, by, rid)) {
        return true;
      }
    }
    throw new Error('call directory: too many conflicting updates');
  }

  /** Write `call` as ended; false when it changed meanwhile (the caller decides again). */
  private async finish(
    call: CallRecord,
    reason: CallEndReason,
    by?: SessionRef,
    rid?: string,
  ): Promise<boolean> {
    const wasActive = call.state === 'active';
    const next: CallRecord = {
      ...call,
      version: call.version + 1,
      state: 'ended',
      endReason: reason,
      endedAt: this.now(),
      ringing: [],
    };
    if (!(await this.directory.replace(next))) {
      return false;
    }
    this.remember(next);
    this.clearRingTimer(call.id);
    const calleeTabs = wasActive && call.calleeEndpoint ? [call.calleeEndpoint] : call.ringing;
    const reply = (ep: SessionRef, role: 'caller' | 'callee'): void =>
      this.options.send(ep, this.stateMessage(next, role, by && sameRef(ep, by) ? rid : undefined));
    reply(call.callerEndpoint, 'caller');
    for (const ep of calleeTabs) {
      reply(ep, 'callee');
    }
    if (wasActive) {
      this.notify(() => this.listener.inCall?.(call.caller.id, false));
      this.notify(() => this.listener.inCall?.(call.callee.id, false));
    }
    this.notify(() => this.listener.ended?.(snapshot(next)));
    return true;
  }

  private clearRingTimer(callId: string): void {
    const timer = this.ringTimers.get(callId);
    if (timer) {
      clearTimeout(timer);
      this.ringTimers.delete(callId);
    }
  }

  /** Keep (or forget) this node's copy of a call it has a tab in. */
  private remember(call: CallRecord): void {
    const mine = (r: SessionRef): boolean => r.nodeId === this.options.nodeId;
    const here =
      mine(call.callerEndpoint) ||
      (call.calleeEndpoint !== undefined && mine(call.calleeEndpoint)) ||
      call.ringing.some(mine);
    if (call.state !== 'ended' && here) {
      this.known.set(call.id, call);
    } else {
      this.known.delete(call.id);
    }
  }

  private notify(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      console.error('parley: a call engine listener threw', err);
    }
  }

  private fail(what: string, err: unknown): void {
    console.error(`parley: call ${what} failed`, err);
  }

  private stateMessage(
    call: CallRecord,
    role: 'caller' | 'callee',
    rid?: string,
    iceFor?: SessionRef,
  ): ServerMessageMap['call-state'] {
    const msg: ServerMessageMap['call-state'] = {
      type: 'call-state',
      callId: call.id,
      state: call.state,
      role,
      peer: role === 'caller' ? call.callee : call.caller,
      media: call.media,
    };
    if (call.endReason) {
      msg.reason = call.endReason;
    }
    if (call.answeredAt !== undefined) {
      msg.answeredAt = call.answeredAt;
    }
    if (iceFor) {
      msg.iceServers = this.options.iceFor(iceFor).iceServers;
    }
    if (rid !== undefined) {
      msg.rid = rid;
    }
    return msg;
  }
}

function wasIn(call: CallRecord, userId: string): boolean {
  return call.caller.id === userId || call.callee.id === userId;
}

/** The tab may act on the call: the caller's tab, or a callee tab that rings or answered. */
function isParty(call: CallRecord, ep: SessionRef, userId: string): boolean {
  if (sameRef(ep, call.callerEndpoint) && userId === call.caller.id) {
    return true;
  }
  if (userId !== call.callee.id) {
    return false;
  }
  return call.state === 'ringing'
    ? call.ringing.some((r) => sameRef(r, ep))
    : call.calleeEndpoint !== undefined && sameRef(ep, call.calleeEndpoint);
}
