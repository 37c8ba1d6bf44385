import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { Session } from '../signaling/session.js';
import { SessionExpiry } from './session-expiry.js';

const DAY = 86_400_000;
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

it('expires a 40-day sign-in on day 40, not when one timer would overflow', () => {
  const expired: Session[] = [];
  const expiry = new SessionExpiry((s) => expired.push(s));
  const session = {} as Session;
  expiry.watch(session, Date.now() + 40 * DAY);
  vi.advanceTimersByTime(25 * DAY);
  expect(expired).toEqual([]);
  vi.advanceTimersByTime(15 * DAY - 1);
  expect(expired).toEqual([]);
  vi.advanceTimersByTime(1);
  expect(expired).toEqual([session]);
});

it('forgets a session that ended or signed out first', () => {
  const expired: Session[] = [];
  const expiry = new SessionExpiry((s) => expired.push(s));
  const gone = {} as Session;
  const closed = {} as Session;
  expiry.watch(gone, Date.now() + 1_000);
  expiry.watch(closed, Date.now() + 1_000);
  expiry.forget(gone);
  expiry.close();
  vi.advanceTimersByTime(2_000);
  expect(expired).toEqual([]);
});
