import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { SilenceWatch } from './silence-watch.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

it('pings after a silence and declares the link dead when the ping goes unanswered', () => {
  const events: string[] = [];
  const watch = new SilenceWatch(
    1000,
    () => events.push(`ping@${Date.now() - start}`),
    () => events.push(`dead@${Date.now() - start}`),
  );
  const start = Date.now();
  watch.start();
  vi.advanceTimersByTime(999);
  expect(events).toEqual([]);
  vi.advanceTimersByTime(1);
  expect(events).toEqual(['ping@1000']);
  vi.advanceTimersByTime(1000);
  expect(events).toEqual(['ping@1000', 'dead@2000']);
  // Once dead it stays quiet.
  vi.advanceTimersByTime(5000);
  expect(events).toHaveLength(2);
});

it('anything heard (the pong, or any message) keeps the link alive', () => {
  const events: string[] = [];
  const watch = new SilenceWatch(
    1000,
    () => events.push('ping'),
    () => events.push('dead'),
  );
  watch.start();
  for (let i = 0; i < 10; i++) {
    vi.advanceTimersByTime(750);
    watch.heard();
  }
  expect(events).toEqual([]);
  vi.advanceTimersByTime(1000);
  expect(events).toEqual(['ping']);
  watch.heard(); // the pong
  vi.advanceTimersByTime(900);
  expect(events).toEqual(['ping']);
  watch.stop();
  vi.advanceTimersByTime(10_000);
  expect(events).toEqual(['ping']);
});
