import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IceRestartWatchdog, nextLinkState } from './ice-restart.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function watch(designated: boolean, graceMs = 1000) {
  const restart = vi.fn();
  const dog = new IceRestartWatchdog(restart, { graceMs, designated, maxRetryMs: 8000 });
  return { restart, dog };
}

describe('IceRestartWatchdog', () => {
  it('gives a disconnected link the grace period, then restarts once (designated side)', () => {
    const { restart, dog } = watch(true);
    dog.onConnectionState('connected');
    dog.onConnectionState('disconnected');
    vi.advanceTimersByTime(999);
    expect(restart).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(restart).toHaveBeenCalledTimes(1);
  });

  it('does nothing when the link heals within the grace', () => {
    const { restart, dog } = watch(true);
    dog.onConnectionState('connected');
    dog.onConnectionState('disconnected');
    vi.advanceTimersByTime(500);
    dog.onConnectionState('connected');
    vi.advanceTimersByTime(10_000);
    expect(restart).not.toHaveBeenCalled();
  });

  it('restarts a failed link at once, and backs off while restarts do not help', () => {
    const { restart, dog } = watch(true);
    dog.onConnectionState('connected');
    dog.onConnectionState('failed');
    vi.advanceTimersByTime(0);
    expect(restart).toHaveBeenCalledTimes(1);
    // The restart fails again quickly: no tight loop, the backoff decides.
    dog.onConnectionState('connecting');
    dog.onConnectionState('failed');
    vi.advanceTimersByTime(1999);
    expect(restart).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(restart).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(4000);
    expect(restart).toHaveBeenCalledTimes(3);
    vi.advanceTimersByTime(8000); // capped at maxRetryMs
    expect(restart).toHaveBeenCalledTimes(4);
    dog.onConnectionState('connected');
    expect(dog.restarts).toBe(0);
    vi.advanceTimersByTime(60_000);
    expect(restart).toHaveBeenCalledTimes(4);
  });

  it('leaves the first move to the designated side: the other waits three graces', () => {
    const { restart, dog } = watch(false);
    dog.onConnectionState('connected');
    dog.onConnectionState('disconnected');
    vi.advanceTimersByTime(2999);
    expect(restart).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(restart).toHaveBeenCalledTimes(1);
  });

  it('does not restart a first connection that is still checking, nor after stop', () => {
    const { restart, dog } = watch(true);
    dog.onConnectionState('connecting');
    dog.onConnectionState('disconnected');
    vi.advanceTimersByTime(10_000);
    expect(restart).not.toHaveBeenCalled();
    dog.onConnectionState('connected');
    dog.onConnectionState('disconnected');
    dog.stop();
    vi.advanceTimersByTime(10_000);
    expect(restart).not.toHaveBeenCalled();
  });
});

describe('IceRestartWatchdog and the other side', () => {
  it('does not restart on top of a restart the other side started', () => {
    const { restart, dog } = watch(false);
    dog.onConnectionState('connected');
    dog.onConnectionState('disconnected');
    vi.advanceTimersByTime(2500);
    dog.onRemoteOffer(); // the designated side's restart offer arrived
    vi.advanceTimersByTime(2999);
    expect(restart).not.toHaveBeenCalled();
    dog.onConnectionState('connected');
    vi.advanceTimersByTime(10_000);
    expect(restart).not.toHaveBeenCalled();
  });

  it('ignores offers while the path is fine (ordinary renegotiation)', () => {
    const { restart, dog } = watch(true);
    dog.onConnectionState('connected');
    dog.onRemoteOffer();
    vi.advanceTimersByTime(10_000);
    expect(restart).not.toHaveBeenCalled();
  });
});

describe('nextLinkState', () => {
  it('says reconnecting only after the link once worked', () => {
    expect(nextLinkState('connecting', 'connecting')).toBe('connecting');
    expect(nextLinkState('connecting', 'connected')).toBe('connected');
    expect(nextLinkState('connected', 'disconnected')).toBe('reconnecting');
    expect(nextLinkState('reconnecting', 'connecting')).toBe('reconnecting');
    expect(nextLinkState('reconnecting', 'connected')).toBe('connected');
    expect(nextLinkState('connecting', 'failed')).toBe('reconnecting');
    expect(nextLinkState('connected', 'closed')).toBe('closed');
  });
});
