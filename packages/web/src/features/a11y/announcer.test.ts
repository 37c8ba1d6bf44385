import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Announcer, DEFAULT_ANNOUNCER_OPTIONS, summarize } from './announcer';

describe('Announcer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function make(options = DEFAULT_ANNOUNCER_OPTIONS) {
    const heard: string[] = [];
    const a = new Announcer(options);
    a.subscribe((text) => heard.push(text));
    return { a, heard };
  }

  it('says one item on the next tick', () => {
    const { a, heard } = make();
    a.say('Ana joined the call');
    expect(heard).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(heard).toEqual(['Ana joined the call']);
  });

  it('gathers what comes within the gap into one announcement', () => {
    const { a, heard } = make();
    a.say('Ana joined the call');
    vi.advanceTimersByTime(0);
    a.say('Bo joined the call');
    a.say('Cy joined the call');
    vi.advanceTimersByTime(DEFAULT_ANNOUNCER_OPTIONS.minGapMs - 1);
    expect(heard).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(heard).toEqual(['Ana joined the call', 'Bo joined the call. Cy joined the call']);
  });

  it('summarizes a burst instead of flooding', () => {
    const { a, heard } = make();
    for (let i = 0; i < 10; i++) {
      a.say(`P${i} joined the call`);
    }
    vi.advanceTimersByTime(0);
    expect(heard).toEqual(['P0 joined the call. P1 joined the call. and 8 more updates']);
  });

  it('never speaks twice within the gap, however many items arrive', () => {
    const { a, heard } = make();
    const times: number[] = [];
    a.subscribe(() => times.push(Date.now()));
    for (let i = 0; i < 50; i++) {
      a.say(`message ${i}`);
      vi.advanceTimersByTime(100);
    }
    vi.runAllTimers();
    expect(heard.length).toBeGreaterThan(1);
    for (let i = 1; i < times.length; i++) {
      expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(
        DEFAULT_ANNOUNCER_OPTIONS.minGapMs,
      );
    }
  });

  it('ignores blank text, and clear() drops what waits', () => {
    const { a, heard } = make();
    a.say('   ');
    vi.runAllTimers();
    expect(heard).toEqual([]);
    a.say('Ana left the call');
    a.clear();
    vi.runAllTimers();
    expect(heard).toEqual([]);
  });

  it('a listener that throws does not silence the others', () => {
    const a = new Announcer();
    const heard: string[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    a.subscribe(() => {
      throw new Error('broken');
    });
    a.subscribe((t) => heard.push(t));
    a.say('hello');
    vi.runAllTimers();
    expect(heard).toEqual(['hello']);
    warn.mockRestore();
  });
});

describe('summarize', () => {
  it('cuts long items', () => {
    const text = summarize(['x'.repeat(500)], { ...DEFAULT_ANNOUNCER_OPTIONS, maxItemChars: 10 });
    expect(text).toBe(`${'x'.repeat(9)}…`);
  });
});
