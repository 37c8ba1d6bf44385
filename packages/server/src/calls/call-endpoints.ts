import type { SessionRef } from '../cluster/delivery.js';
import { hasEndpoint, sameRef } from './call-directory.js';
import { CallTransitions } from './call-transitions.js';
import type { CallHandover } from './call-types.js';

/**
 * The call engine's side of a tab's life: a socket that drops (a grace to resume), a
 * tab that moves to another node (a grace to rejoin), a tab or a node that is gone (its
 * calls end), Redis losing its data (calls written back), and this node shutting down.
 * Timers run where their subject is; one that fires after the call moved on finds it
 * changed and does nothing.
 */
export abstract class CallEndpoints extends CallTransitions {
  /** `${callId} ${sessionId}` → the timer that ends the call if that dropped tab does not return. */
  protected readonly dropTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Sessions of this node that left for another one while in a call (drain). */
  protected readonly moving = new Set<string>();
  /** Calls left to their moving tabs when this node shut down. */
  protected readonly handingOver = new Set<string>();
  protected closed = false;

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
   * Another node shut down after a drain and left this call to its moving tab `ep`:
   * every node that hears it keeps the tab's grace, so the call ends as `failed` if the
   * tab has not rejoined by `until` (the compare-and-set lets one node end it).
   */
  watchHandover(handover: CallHandover): void {
    if (this.closed) {
      return;
    }
    const key = `${handover.callId} ${handover.ep.sessionId}`;
    if (this.dropTimers.has(key)) {
      return;
    }
    const timer = setTimeout(
      () => {
        this.dropTimers.delete(key);
        this.finishIf(handover.callId, (c) =>
          c.state !== 'ended' && hasEndpoint(c, handover.ep) ? 'failed' : null,
        ).catch((err: unknown) => this.fail('handover timeout', err));
      },
      Math.max(0, handover.until - this.now()),
    );
    timer.unref?.();
    this.dropTimers.set(key, timer);
  }

  /** End the call as `failed` after the drop grace unless `ep` has left it by then. */
  protected startDropTimer(callId: string, ep: SessionRef): void {
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
        // Shutting down after a drain: its tab is rejoining the call from another node,
        // and the other nodes watch it (see close).
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

  /**
   * This node is shutting down: its tabs' calls end (both sides are told). Calls between
   * tabs on other nodes go on.
   */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    const until = this.now() + this.options.dropGraceMs;
    const handovers: CallHandover[] = [];
    for (const [key, t] of this.dropTimers) {
      const [callId, sessionId] = key.split(' ');
      if (callId && sessionId && this.moving.has(sessionId)) {
        this.handingOver.add(callId);
        handovers.push({ callId, ep: { sessionId, nodeId: this.options.nodeId }, until });
      }
      clearTimeout(t);
    }
    for (const t of this.ringTimers.values()) {
      clearTimeout(t);
    }
    this.ringTimers.clear();
    this.dropTimers.clear();
    // The calls whose tabs are moving outlive this node: the others keep their grace.
    for (const handover of handovers) {
      this.options.handOver?.(handover);
    }
    await this.releaseNode(this.options.nodeId);
  }
}
