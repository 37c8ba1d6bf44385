import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '@parley/protocol';
import { CallEngine, type CallEndpoint, type CallSnapshot } from './call-engine.js';

/** A tab that records what the engine sends it. */
class TestTab implements CallEndpoint {
  readonly sent: ServerMessage[] = [];
  constructor(readonly id: string) {}
  send(m: ServerMessage): void {
    this.sent.push(m);
  }
  last(): ServerMessage | undefined {
    return this.sent.at(-1);
  }
}

const ada = { id: 'u-ada', username: 'ada' };
const ben = { id: 'u-ben', username: 'ben' };

describe('CallEngine (unit, fake timers)', () => {
  let tabs: Map<string, TestTab[]>;
  let ended: CallSnapshot[];
  let engine: CallEngine;
  beforeEach(() => {
    vi.useFakeTimers();
    tabs = new Map([
      [ada.id, [new TestTab('a1')]],
      [ben.id, [new TestTab('b1'), new TestTab('b2')]],
    ]);
    ended = [];
    engine = new CallEngine(
      {
        ringTimeoutMs: 30_000,
        dropGraceMs: 5_000,
        endpointsOf: (id) => tabs.get(id) ?? [],
        iceFor: () => ({ iceServers: [] }),
      },
      { ended: (c) => ended.push(c) },
    );
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const a1 = (): TestTab => tabs.get(ada.id)![0]!;
  const [b1, b2] = [(): TestTab => tabs.get(ben.id)![0]!, (): TestTab => tabs.get(ben.id)![1]!];
  const callId = (): string => (a1().sent[0] as { callId: string }).callId;

  it('rings for the configured time, then ends with no_answer for everyone', () => {
    engine.invite(a1(), ada, ben, 'video');
    vi.advanceTimersByTime(29_999);
    expect(engine.liveCount).toBe(1);
    vi.advanceTimersByTime(1);
    for (const t of [a1(), b1(), b2()]) {
      expect(t.last()).toMatchObject({ type: 'call-state', state: 'ended', reason: 'no_answer' });
    }
    expect(ended).toHaveLength(1);
    expect(engine.callOf(ada.id)).toBeUndefined();
  });

  it('ends as unavailable when every ringing tab of the callee goes away', () => {
    engine.invite(a1(), ada, ben, 'audio');
    engine.endpointRemoved(b1());
    expect(engine.liveCount).toBe(1);
    engine.endpointRemoved(b2());
    expect(a1().last()).toMatchObject({ state: 'ended', reason: 'unavailable' });
  });

  it('a caller whose socket drops while ringing ends the call after the grace, unless it resumes', () => {
    engine.invite(a1(), ada, ben, 'audio');
    engine.endpointDetached(a1());
    vi.advanceTimersByTime(4_000);
    engine.endpointResumed(a1());
    vi.advanceTimersByTime(10_000);
    expect(engine.liveCount).toBe(1);
    engine.endpointDetached(a1());
    vi.advanceTimersByTime(5_000);
    expect(b1().last()).toMatchObject({ state: 'ended', reason: 'failed' });
  });

  it('answering stops the ring timer', () => {
    engine.invite(a1(), ada, ben, 'video');
    engine.accept(b2(), ben.id, callId());
    vi.advanceTimersByTime(60_000);
    expect(engine.isInCall(ada.id)).toBe(true);
    expect(b1().last()).toMatchObject({ state: 'ended', reason: 'answered_elsewhere' });
  });

  it('a listener that throws does not break the call', () => {
    const throwing = new CallEngine(
      {
        ringTimeoutMs: 1000,
        dropGraceMs: 1000,
        endpointsOf: (id) => tabs.get(id) ?? [],
        iceFor: () => ({ iceServers: [] }),
      },
      {
        inCall: () => {
          throw new Error('listener bug');
        },
      },
    );
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    throwing.invite(a1(), ada, ben, 'audio');
    const id = (a1().last() as { callId: string }).callId;
    throwing.accept(b1(), ben.id, id);
    throwing.end(a1(), ada.id, id);
    expect(b1().last()).toMatchObject({ state: 'ended', reason: 'hangup' });
    expect(throwing.liveCount).toBe(0);
    spy.mockRestore();
  });

  it('endBetween ends only the call of those two users', () => {
    engine.invite(a1(), ada, ben, 'audio');
    engine.endBetween(ada.id, 'someone-else');
    expect(engine.liveCount).toBe(1);
    engine.endBetween(ben.id, ada.id);
    expect(a1().last()).toMatchObject({ state: 'ended', reason: 'cancelled' });
  });
});
