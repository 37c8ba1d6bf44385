import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { PACE_MARGIN, Pacer } from './pacer.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function pacer(bytesPerSecond: number, burst = bytesPerSecond) {
  const sent: string[] = [];
  const p = new Pacer(bytesPerSecond, burst, () => Date.now());
  const frame = (name: string, cost: number) => ({ cost, send: () => sent.push(name) });
  return { p, sent, frame };
}

it('sends at once within its burst, then no faster than the rate, in order', () => {
  const { p, sent, frame } = pacer(1000);
  p.push(frame('a', 600));
  p.push(frame('b', 400));
  expect(sent).toEqual(['a', 'b']);
  // The bucket is empty: 450 bytes need 450 / (1000 × PACE_MARGIN) seconds.
  p.push(frame('c', 450));
  p.push(frame('d', 90));
  expect(sent).toEqual(['a', 'b']);
  vi.advanceTimersByTime(Math.ceil((450 / (1000 * PACE_MARGIN)) * 1000) - 10);
  expect(sent).toEqual(['a', 'b']);
  vi.advanceTimersByTime(20);
  expect(sent).toEqual(['a', 'b', 'c']);
  // 90 more bytes: another 112 ms.
  vi.advanceTimersByTime(90);
  expect(sent).toEqual(['a', 'b', 'c']);
  vi.advanceTimersByTime(40);
  expect(sent).toEqual(['a', 'b', 'c', 'd']);
  expect(p.waiting).toBe(0);
});

it('over a long run, sends under the rate', () => {
  const { p, sent, frame } = pacer(10_000, 2500);
  for (let i = 0; i < 100; i++) {
    p.push(frame(String(i), 1000));
  }
  vi.advanceTimersByTime(5000);
  // The burst (2 frames) plus 5 s at 8,000 B/s (40 frames).
  const expected = 2 + (5 * 10_000 * PACE_MARGIN) / 1000;
  expect(sent.length).toBeGreaterThanOrEqual(expected - 1);
  expect(sent.length).toBeLessThanOrEqual(expected + 1);
  expect(sent.slice(0, 3)).toEqual(['0', '1', '2']);
});

it('sends a frame dearer than the whole bucket once it is full, and drops what it is told to', () => {
  const { p, sent, frame } = pacer(1000);
  p.push(frame('small', 500));
  const big = frame('big', 5000);
  p.push(big);
  p.push(frame('after', 10));
  expect(sent).toEqual(['small']);
  // Full again after 500 / 800 s.
  vi.advanceTimersByTime(700);
  expect(sent).toEqual(['small', 'big']);
  const gone = frame('gone', 10);
  p.push(gone);
  p.drop((f) => f === gone);
  vi.advanceTimersByTime(10_000);
  expect(sent).toEqual(['small', 'big', 'after']);
  p.close();
  p.push(frame('closed', 1));
  vi.advanceTimersByTime(10_000);
  expect(sent).not.toContain('closed');
});
