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

/** A 1 s watch that logs its pings and its verdict with the ms since it started. */
function timedWatch(): { events: string[]; watch: SilenceWatch } {
  const events: string[] = [];
  const start = Date.now();
  const watch = new SilenceWatch(
    1000,
    () => events.push(`ping@${Date.now() - start}`),
    () => events.push(`dead@${Date.now() - start}`),
  );
  watch.start();
  return { events, watch };
}

it('after a freeze of its own, asks again instead of declaring the link dead', () => {
  // A starved tab or a waking laptop runs this timer seconds late, maybe before the
  // pong that arrived meanwhile: the silence was ours, not the server's.
  const { events, watch } = timedWatch();
  vi.advanceTimersByTime(1000);
  expect(events).toEqual(['ping@1000']);
  // Frozen for 5 s right after the ping: the next check runs 5 s late, the pong unread.
  vi.setSystemTime(Date.now() + 5000);
  vi.advanceTimersByTime(250);
  expect(events).toEqual(['ping@1000', 'ping@6250']);
  watch.heard(); // the pong, read after the timer
  vi.advanceTimersByTime(750);
  expect(events).toEqual(['ping@1000', 'ping@6250']);
  // A link that is really gone is still found: a period of silence, then one unanswered.
  vi.advanceTimersByTime(2250);
  expect(events).toEqual(['ping@1000', 'ping@6250', 'ping@7250', 'dead@8250']);
  watch.stop();
});

it('a tab whose every check is late (throttled in the background) still finds a dead link', () => {
  // Background tabs may run timers once a minute: the first late check asks again, the
  // next one, with still nothing heard, declares the link dead, as before.
  const { events, watch } = timedWatch();
  vi.setSystemTime(Date.now() + 60_000);
  vi.advanceTimersByTime(250);
  expect(events).toEqual(['ping@60250']);
  vi.setSystemTime(Date.now() + 60_000);
  vi.advanceTimersByTime(250);
  expect(events).toEqual(['ping@60250', 'dead@120500']);
  watch.stop();
});
