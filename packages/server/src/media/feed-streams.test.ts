import { describe, expect, it } from 'vitest';
import type { PublishedStream, SubscriptionStream } from '../sfu/index.js';
import { feedMidKey, publishedKind, subscriptionChanges } from './feed-streams.js';

const published = (
  type: PublishedStream['type'],
  mindex: number,
  disabled = false,
): PublishedStream => ({
  type,
  mindex,
  mid: String(mindex),
  disabled,
  codec: undefined,
  description: undefined,
  simulcast: false,
  svc: false,
  talking: undefined,
});

const subscribed = (feed: string, feedMid: string, active = true): SubscriptionStream => ({
  mindex: 0,
  mid: `s${feed}${feedMid}`,
  type: 'video',
  feedId: feed,
  feedMid,
  feedDisplay: undefined,
  send: true,
  ready: true,
  active,
});

describe('publishedKind', () => {
  const sharing = [published('audio', 0), published('video', 1), published('video', 2)];

  it('tells the camera from a screen, and the microphone from the screen’s sound, by order', () => {
    const withAudio = [...sharing, published('audio', 3)];
    expect(['0', '1', '2', '3'].map((mid) => publishedKind(withAudio, mid))).toEqual([
      'audio',
      'video',
      'screen',
      'screen-audio',
    ]);
  });

  it('goes by m-line index, not by the order Janus lists them in', () => {
    expect(publishedKind([...sharing].reverse(), '2')).toBe('screen');
    expect(publishedKind([...sharing].reverse(), '1')).toBe('video');
  });

  it('knows nothing of a mid the feed does not publish', () => {
    expect(publishedKind(sharing, '9')).toBeNull();
    expect(publishedKind(sharing, undefined)).toBeNull();
  });
});

describe('subscriptionChanges', () => {
  const camera = [published('audio', 0), published('video', 1)];

  it('asks for a stream a subscribed feed added, once', () => {
    const feeds = new Set(['ada']);
    const now = new Map([['ada', [...camera, published('video', 2)]]]);
    const subscription = [subscribed('ada', '0'), subscribed('ada', '1')];
    expect(subscriptionChanges(feeds, now, subscription, new Set())).toEqual({
      subscribe: [{ feed: 'ada', mid: '2' }],
      unsubscribe: [],
    });
    // Already asked (Janus postponed the update): not again.
    expect(
      subscriptionChanges(feeds, now, subscription, new Set([feedMidKey('ada', '2')])).subscribe,
    ).toEqual([]);
  });

  it('drops a stream its publisher disabled, and ignores m-lines already inactive', () => {
    const feeds = new Set(['ada']);
    const now = new Map([['ada', [...camera, published('video', 2, true)]]]);
    expect(
      subscriptionChanges(
        feeds,
        now,
        [subscribed('ada', '0'), subscribed('ada', '1'), subscribed('ada', '2')],
        new Set(),
      ),
    ).toEqual({ subscribe: [], unsubscribe: [{ feed: 'ada', mid: '2' }] });
    expect(
      subscriptionChanges(
        feeds,
        now,
        [subscribed('ada', '0'), subscribed('ada', '1'), subscribed('ada', '2', false)],
        new Set(),
      ),
    ).toEqual({ subscribe: [], unsubscribe: [] });
  });

  it('leaves feeds not subscribed yet, and feeds whose streams are unknown, alone', () => {
    const now = new Map([['ben', camera]]);
    expect(subscriptionChanges(new Set(['ada']), now, [], new Set())).toEqual({
      subscribe: [],
      unsubscribe: [],
    });
  });
});
