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
import {
  snapshot,
  type CallEndpoint,
  type CallEngineListener,
  type CallEngineOptions,
  type CallSnapshot,
  type LiveCall,
} from './call-types.js';

export type { CallEndpoint, CallEngineListener, CallEngineOptions, CallSnapshot };

/** How many ended calls are remembered for precise answers to late messages. */
const RECENTLY_ENDED_MAX = 1000;

/**
 * The server-side state machine of direct calls. It is the single source of truth:
 * every transition happens here, synchronously, so two tabs, two racing messages or
 * a crashed client cannot leave a call half-open.
 *
 *   ringing ──accept──▶ active ──end/drop──▶ ended(hangup|failed)
 *      └──end/timeout/drop──▶ ended(cancelled|declined|no_answer|unavailable|failed)
 *   (invite to a busy or offline user goes straight to ended(busy|unavailable))
 */
export class CallEngine {
  private readonly calls = new Map<string, LiveCall>();
  /**
   * Recently ended calls (bounded), so that a message racing the end gets a precise
   * answer (`call_not_ringing`) and late ICE candidates are dropped without an error.
   */
  private readonly recentlyEnded = new Map<string, CallSnapshot>();
  /** userId → the one live call (ringing or active) the user takes part in. */
  private readonly byUser = new Map<string, LiveCall>();
  private readonly now: () => number;

  constructor(
    private readonly options: CallEngineOptions,
    private readonly listener: CallEngineListener = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The live call of a user, if any. */
  callOf(userId: string): CallSnapshot | undefined {
    const call = this.byUser.get(userId);
    return call ? snapshot(call) : undefined;
  }

  /** True while the user has an answered call. */
  isInCall(userId: string): boolean {
    return this.byUser.get(userId)?.state === 'active';
  }

  get liveCount(): number {
    return this.calls.size;
  }

  /**
   * Ring `callee` from one tab of `caller`. The caller's tab gets a `call-state` reply:
   * `ringing`, or `ended` at once when the callee is busy or offline. When the callee is
   * ringing us right now (both pressed "call" at the same moment), this answers that
   * call instead of starting a second one.
   */
  invite(
    from: CallEndpoint,
    caller: PublicUser,
    callee: PublicUser,
    media: CallMedia,
    rid?: string,
  ): void {
    if (caller.id === callee.id) {
      throw new ProtocolError('bad_message', 'you cannot call yourself');
    }
    const mine = this.byUser.get(caller.id);
    if (mine) {
      if (
        mine.state === 'ringing' &&
        mine.caller.id === callee.id &&
        mine.callee.id === caller.id
      ) {
        this.accept(from, caller.id, mine.id, rid);
        return;
      }
      throw new ProtocolError('already_in_call', 'you are already in a call: end it first');
    }
    const call: LiveCall = {
      id: randomId(12),
      caller,
      callee,
      media,
      state: 'ringing',
      createdAt: this.now(),
      callerEndpoint: from,
      ringing: new Set(),
      dropTimers: new Map(),
    };
    const endpoints = this.options.endpointsOf(callee.id);
    if (this.byUser.has(callee.id) || endpoints.length === 0) {
      // Never rang: the caller learns why at once, and history keeps it (a missed call).
      call.state = 'ended';
      call.endReason = endpoints.length === 0 ? 'unavailable' : 'busy';
      call.endedAt = call.createdAt;
      from.send(this.stateMessage(call, 'caller', rid));
      this.notify(() => this.listener.ended?.(snapshot(call)));
      return;
    }
    this.calls.set(call.id, call);
    this.byUser.set(caller.id, call);
    this.byUser.set(callee.id, call);
    from.send(this.stateMessage(call, 'caller', rid));
    for (const ep of endpoints) {
      this.ring(call, ep);
    }
    call.ringTimer = setTimeout(() => this.finish(call, 'no_answer'), this.options.ringTimeoutMs);
    call.ringTimer.unref?.();
  }

  private ring(call: LiveCall, ep: CallEndpoint): void {
    if (call.ringing.has(ep)) {
      return;
    }
    call.ringing.add(ep);
    ep.send({
      type: 'call-incoming',
      callId: call.id,
      from: call.caller,
      media: call.media,
      expiresAt: call.createdAt + this.options.ringTimeoutMs,
    });
  }

  /** A tab of `userId` came online: if they are being rung, ring it too. */
  endpointAdded(userId: string, ep: CallEndpoint): void {
    const call = this.byUser.get(userId);
    if (call && call.state === 'ringing' && call.callee.id === userId) {
      this.ring(call, ep);
    }
  }

  /**
   * Answer on this tab. The first accept wins; other tabs of the callee hear
   * `answered_elsewhere`, and a late accept gets `call_not_ringing`.
   */
  accept(ep: CallEndpoint, userId: string, callId: string, rid?: string): void {
    const call = this.calls.get(callId);
    if (!call) {
      if (this.recentlyEnded.get(callId)?.callee.id === userId) {
        throw new ProtocolError('call_not_ringing', 'this call has ended');
      }
      throw new ProtocolError('unknown_call', 'no such call for you');
    }
    if (call.callee.id !== userId) {
      throw new ProtocolError('unknown_call', 'no such call for you');
    }
    if (call.state !== 'ringing') {
      throw new ProtocolError('call_not_ringing', 'this call is no longer ringing');
    }
    call.state = 'active';
    call.answeredAt = this.now();
    call.calleeEndpoint = ep;
    clearTimeout(call.ringTimer);
    const others = [...call.ringing].filter((t) => t !== ep);
    call.ringing.clear();
    // The callee hears `active` before the caller, so that the caller's first offer
    // (sent when it hears `active`) always reaches a callee that knows the call.
    ep.send(this.stateMessage(call, 'callee', rid, ep));
    call.callerEndpoint.send(this.stateMessage(call, 'caller', undefined, call.callerEndpoint));
    for (const other of others) {
      other.send({
        ...this.stateMessage(call, 'callee'),
        state: 'ended',
        reason: 'answered_elsewhere',
      });
    }
    this.notify(() => this.listener.inCall?.(call.caller.id, true));
    this.notify(() => this.listener.inCall?.(call.callee.id, true));
  }

  /**
   * Leave the call from this tab: the caller while ringing cancels, the callee while
   * ringing declines (for all their tabs), either side once active hangs up.
   */
  end(ep: CallEndpoint, userId: string, callId: string, rid?: string): void {
    const call = this.calls.get(callId);
    const ended = this.recentlyEnded.get(callId);
    if (!call && ended && this.wasIn(callId, userId)) {
      // Both sides hung up at once: ending is idempotent, the answer is how it ended.
      const role = ended.caller.id === userId ? 'caller' : 'callee';
      ep.send({
        type: 'call-state',
        callId,
        state: 'ended',
        role,
        peer: role === 'caller' ? ended.callee : ended.caller,
        media: ended.media,
        ...(ended.endReason ? { reason: ended.endReason } : {}),
        ...(rid === undefined ? {} : { rid }),
      });
      return;
    }
    if (!call || !this.isParty(call, ep, userId)) {
      throw new ProtocolError('unknown_call', 'no such call for you');
    }
    const reason: CallEndReason =
      call.state === 'active' ? 'hangup' : ep === call.callerEndpoint ? 'cancelled' : 'declined';
    this.finish(call, reason, ep, rid);
  }

  /** Relay a signaling payload to the other side of an active call. */
  relay(ep: CallEndpoint, userId: string, callId: string, message: ServerMessage): void {
    const call = this.calls.get(callId);
    if (!call && this.wasIn(callId, userId)) {
      return; // candidates and media updates in flight when the call ended
    }
    if (!call || call.state !== 'active' || !this.isParty(call, ep, userId)) {
      throw new ProtocolError('unknown_call', 'no active call with that id for this tab');
    }
    const other = ep === call.callerEndpoint ? call.calleeEndpoint : call.callerEndpoint;
    other?.send(message);
  }

  /** A side's mic/camera changed; turning a camera on upgrades a voice call to video. */
  mediaChanged(ep: CallEndpoint, userId: string, callId: string, media: MediaState): void {
    this.relay(ep, userId, callId, { type: 'call-media', callId, media });
    const call = this.calls.get(callId);
    if (call && media.video && call.media === 'audio') {
      call.media = 'video';
    }
  }

  /** The tab's socket dropped: its call ends unless it resumes within the grace. */
  endpointDetached(ep: CallEndpoint): void {
    for (const call of this.callsOf(ep)) {
      if (call.ringing.has(ep) && call.state === 'ringing') {
        continue; // a ringing callee tab simply stops counting once it ends for good
      }
      if (!call.dropTimers.has(ep)) {
        const timer = setTimeout(() => this.finish(call, 'failed'), this.options.dropGraceMs);
        timer.unref?.();
        call.dropTimers.set(ep, timer);
      }
    }
  }

  /** The tab's socket came back in time. */
  endpointResumed(ep: CallEndpoint): void {
    for (const call of this.callsOf(ep)) {
      clearTimeout(call.dropTimers.get(ep));
      call.dropTimers.delete(ep);
    }
  }

  /** The tab is gone for good (closed, signed out, or its resume grace ran out). */
  endpointRemoved(ep: CallEndpoint): void {
    for (const call of this.callsOf(ep)) {
      if (call.state === 'ringing' && call.ringing.has(ep)) {
        call.ringing.delete(ep);
        if (call.ringing.size === 0) {
          this.finish(call, 'unavailable');
        }
      } else {
        this.finish(call, 'failed');
      }
    }
  }

  /** End the live call between two users, if any (one of them blocked or removed the other). */
  endBetween(a: string, b: string): void {
    const call = this.byUser.get(a);
    if (call && (call.caller.id === b || call.callee.id === b)) {
      this.finish(call, call.state === 'active' ? 'hangup' : 'cancelled');
    }
  }

  /** End every live call (server shutdown). */
  close(): void {
    for (const call of [...this.calls.values()]) {
      this.finish(call, 'failed');
    }
  }

  private wasIn(callId: string, userId: string): boolean {
    const ended = this.recentlyEnded.get(callId);
    return ended !== undefined && (ended.caller.id === userId || ended.callee.id === userId);
  }

  private notify(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      console.error('parley: a call engine listener threw', err);
    }
  }

  private callsOf(ep: CallEndpoint): LiveCall[] {
    return [...this.calls.values()].filter(
      (c) => c.callerEndpoint === ep || c.calleeEndpoint === ep || c.ringing.has(ep),
    );
  }

  private isParty(call: LiveCall, ep: CallEndpoint, userId: string): boolean {
    if (ep === call.callerEndpoint && userId === call.caller.id) {
      return true;
    }
    if (userId !== call.callee.id) {
      return false;
    }
    return call.state === 'ringing' ? call.ringing.has(ep) : ep === call.calleeEndpoint;
  }

  private finish(call: LiveCall, reason: CallEndReason, by?: CallEndpoint, rid?: string): void {
    if (call.state === 'ended') {
      return;
    }
    const wasActive = call.state === 'active';
    call.state = 'ended';
    call.endReason = reason;
    call.endedAt = this.now();
    clearTimeout(call.ringTimer);
    for (const timer of call.dropTimers.values()) {
      clearTimeout(timer);
    }
    call.dropTimers.clear();
    this.calls.delete(call.id);
    this.recentlyEnded.set(call.id, snapshot(call));
    if (this.recentlyEnded.size > RECENTLY_ENDED_MAX) {
      const oldest = this.recentlyEnded.keys().next().value;
      if (oldest !== undefined) {
        this.recentlyEnded.delete(oldest);
      }
    }
    if (this.byUser.get(call.caller.id) === call) {
      this.byUser.delete(call.caller.id);
    }
    if (this.byUser.get(call.callee.id) === call) {
      this.byUser.delete(call.callee.id);
    }
    const calleeTabs = wasActive && call.calleeEndpoint ? [call.calleeEndpoint] : [...call.ringing];
    call.ringing.clear();
    const reply = (ep: CallEndpoint, role: 'caller' | 'callee'): void =>
      ep.send(this.stateMessage(call, role, ep === by ? rid : undefined));
    reply(call.callerEndpoint, 'caller');
    for (const ep of calleeTabs) {
      reply(ep, 'callee');
    }
    if (wasActive) {
      this.notify(() => this.listener.inCall?.(call.caller.id, false));
      this.notify(() => this.listener.inCall?.(call.callee.id, false));
    }
    this.notify(() => this.listener.ended?.(snapshot(call)));
  }

  private stateMessage(
    call: LiveCall,
    role: 'caller' | 'callee',
    rid?: string,
    iceFor?: CallEndpoint,
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
