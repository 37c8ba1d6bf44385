import type { CallEndReason, ServerMessageMap } from '@parley/protocol';
import type { SessionRef } from '../cluster/delivery.js';
import { sameRef, type CallDirectory, type CallRecord } from './call-directory.js';
import { snapshot, type CallEngineListener, type CallEngineOptions } from './call-types.js';

/** A compare-and-set that keeps losing means something else is wrong; give up loudly. */
const MAX_ATTEMPTS = 8;

/**
 * How a call changes: read it from the directory, decide, compare-and-set, and on a lost
 * race read again. The call engine's parts (user actions, tab lifecycle) build on this.
 */
export abstract class CallTransitions {
  protected readonly ringTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Live calls with a tab on this node, as last seen: written back if Redis loses them. */
  protected readonly known = new Map<string, CallRecord>();
  protected readonly now: () => number;

  constructor(
    protected readonly directory: CallDirectory,
    protected readonly options: CallEngineOptions,
    protected readonly listener: CallEngineListener = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Take the endpoints `gone` out of a call: a ringing callee tab stops ringing (the
   * call ends as `unavailable` with the last one); anything else ends it as `failed`.
   */
  protected async removeEndpoints(
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
  protected async change(
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
  protected async finishIf(
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
  protected async finish(
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

  protected clearRingTimer(callId: string): void {
    const timer = this.ringTimers.get(callId);
    if (timer) {
      clearTimeout(timer);
      this.ringTimers.delete(callId);
    }
  }

  /** Keep (or forget) this node's copy of a call it has a tab in. */
  protected remember(call: CallRecord): void {
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

  protected notify(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      console.error('parley: a call engine listener threw', err);
    }
  }

  protected fail(what: string, err: unknown): void {
    console.error(`parley: call ${what} failed`, err);
  }

  protected stateMessage(
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

export function wasIn(call: CallRecord, userId: string): boolean {
  return call.caller.id === userId || call.callee.id === userId;
}

/** The tab may act on the call: the caller's tab, or a callee tab that rings or answered. */
export function isParty(call: CallRecord, ep: SessionRef, userId: string): boolean {
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
