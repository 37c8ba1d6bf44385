import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '@parley/protocol';
import type { SessionRef } from '../cluster/delivery.js';
import { CallEngine, type CallSnapshot } from './call-engine.js';
import { InMemoryCallDirectory } from './call-directory.js';

/** A tab: where the engine's messages for it land. */
class TestTab implements SessionRef {
  readonly sent: ServerMessage[] = [];
  readonly nodeId = 'n1';
  constructor(readonly sessionId: string) {}
  last(): ServerMessage | undefined {
    return this.sent.at(-1);
  }
}

const ada = { id: 'u-ada', username: 'ada' };
const ben = { id: 'u-ben', username: 'ben' };

describe('CallEngine (unit, in-process directory, fake timers)', () => {
  let tabs: Map<string, TestTab[]>;
  let ended: CallSnapshot[];
  let engine: CallEngine;
  const byId = (): Map<string, TestTab> =>
    new Map([...tabs.values()].flat().map((t) => [t.sessionId, t]));
  const make = (listener: ConstructorParameters<typeof CallEngine>[2], ringTimeoutMs = 30_000) =>
    new CallEngine(
      new InMemoryCallDirectory(),
      {
        nodeId: 'n1',
        ringTimeoutMs,
        dropGraceMs: 5_000,
        endpointsOf: (id) => Promise.resolve(tabs.get(id) ?? []),
        send: (to, m) => byId().get(to.sessionId)?.sent.push(m),
        iceFor: () => ({ iceServers: [] }),
      },
      listener,
    );
  beforeEach(() => {
    vi.useFakeTimers();
    tabs = new Map([
      [ada.id, [new TestTab('a1')]],
      [ben.id, [new TestTab('b1'), new TestTab('b2')]],
    ]);
    ended = [];
    engine = make({ ended: (c) => ended.push(c) });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const a1 = (): TestTab => tabs.get(ada.id)![0]!;
  const [b1, b2] = [(): TestTab => tabs.get(ben.id)![0]!, (): TestTab => tabs.get(ben.id)![1]!];
  const callId = (): string => (a1().sent[0] as { callId: string }).callId;

  it('rings for the configured time, then ends with no_answer for everyone', async () => {
    await engine.invite(a1(), ada, ben, 'video');
    await vi.advanceTimersByTimeAsync(29_999);
    expect(await engine.liveCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    for (const t of [a1(), b1(), b2()]) {
      expect(t.last()).toMatchObject({ type: 'call-state', state: 'ended', reason: 'no_answer' });
    }
    expect(ended).toHaveLength(1);
    expect(await engine.callOf(ada.id)).toBeUndefined();
  });

  it('ends as unavailable when every ringing tab of the callee goes away', async () => {
    await engine.invite(a1(), ada, ben, 'audio');
    await engine.endpointRemoved(b1(), ben.id);
    expect(await engine.liveCount()).toBe(1);
    await engine.endpointRemoved(b2(), ben.id);
    expect(a1().last()).toMatchObject({ state: 'ended', reason: 'unavailable' });
  });

  it('a caller whose socket drops while ringing ends the call after the grace, unless it resumes', async () => {
    await engine.invite(a1(), ada, ben, 'audio');
    await engine.endpointDetached(a1(), ada.id);
    await vi.advanceTimersByTimeAsync(4_000);
    engine.endpointResumed(a1());
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await engine.liveCount()).toBe(1);
    await engine.endpointDetached(a1(), ada.id);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(b1().last()).toMatchObject({ state: 'ended', reason: 'failed' });
  });

  it('answering stops the ring timer', async () => {
    await engine.invite(a1(), ada, ben, 'video');
    await engine.accept(b2(), ben.id, callId());
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await engine.isInCall(ada.id)).toBe(true);
    expect(b1().last()).toMatchObject({ state: 'ended', reason: 'answered_elsewhere' });
  });

  it('two tabs answering at once: the first wins, the second hears call_not_ringing', async () => {
    await engine.invite(a1(), ada, ben, 'video');
    const results = await Promise.allSettled([
      engine.accept(b1(), ben.id, callId()),
      engine.accept(b2(), ben.id, callId()),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: 'call_not_ringing' });
  });

  it('a hang-up and the ring timeout at once end the call once', async () => {
    await engine.invite(a1(), ada, ben, 'video');
    await vi.advanceTimersByTimeAsync(29_999);
    const hangup = engine.end(a1(), ada.id, callId());
    await vi.advanceTimersByTimeAsync(1);
    await hangup;
    expect(ended).toHaveLength(1);
  });

  it('a listener that throws does not break the call', async () => {
    const throwing = make(
      {
        inCall: () => {
          throw new Error('listener bug');
        },
      },
      1000,
    );
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await throwing.invite(a1(), ada, ben, 'audio');
    const id = (a1().last() as { callId: string }).callId;
    await throwing.accept(b1(), ben.id, id);
    await throwing.end(a1(), ada.id, id);
    expect(b1().last()).toMatchObject({ state: 'ended', reason: 'hangup' });
    expect(await throwing.liveCount()).toBe(0);
    spy.mockRestore();
  });

  it('endBetween ends only the call of those two users', async () => {
    await engine.invite(a1(), ada, ben, 'audio');
    await engine.endBetween(ada.id, 'someone-else');
    expect(await engine.liveCount()).toBe(1);
    await engine.endBetween(ben.id, ada.id);
    expect(a1().last()).toMatchObject({ state: 'ended', reason: 'cancelled' });
  });

  it('a dead node: calls with a tab there end as failed; its ringing tabs just stop', async () => {
    const remote = new TestTab('b3');
    Object.assign(remote, { nodeId: 'n2' });
    tabs.get(ben.id)!.push(remote);
    await engine.invite(a1(), ada, ben, 'audio');
    await engine.releaseNode('n2');
    expect(await engine.liveCount()).toBe(1);
    await engine.accept(b1(), ben.id, callId());
    await engine.releaseNode('n1');
    expect(b1().last()).toMatchObject({ state: 'ended', reason: 'failed' });
    expect(ended.at(-1)).toMatchObject({ endReason: 'failed' });
  });
});
