import type { CallMedia, MediaState, PublicUser, ServerMessage } from '@parley/protocol';
import { ProtocolError } from '../signaling/protocol-error.js';
import { randomId } from '../signaling/ids.js';
import type { SessionRef } from '../cluster/delivery.js';
import { sameRef, type CallRecord } from './call-directory.js';
import { CallEndpoints } from './call-endpoints.js';
import { isParty, wasIn } from './call-transitions.js';
import {
  snapshot,
  type CallEngineListener,
  type CallEngineOptions,
  type CallSnapshot,
} from './call-types.js';

export type { CallEngineListener, CallEngineOptions, CallSnapshot };

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
export class CallEngine extends CallEndpoints {
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
        if (c.caller.id === userId) {
          old = c.callerEndpoint;
          return { ...c, callerEndpoint: ep };
        }
        old = c.calleeEndpoint;
        return { ...c, calleeEndpoint: ep };
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

  /** End the live call between two users, if any (one of them blocked or removed the other). */
  async endBetween(a: string, b: string): Promise<void> {
    const call = await this.directory.ofUser(a);
    if (call && (call.caller.id === b || call.callee.id === b)) {
      await this.finishIf(call.id, (c) =>
        c.state === 'ended' ? null : c.state === 'active' ? 'hangup' : 'cancelled',
      );
    }
  }
}
