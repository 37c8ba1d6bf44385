import type { SfuStream } from '@parley/protocol';
import type { PublishedStream, SubscriptionStream } from '../sfu/index.js';

/**
 * What a publisher's streams are, from their order alone. The SDK's publisher makes its
 * microphone's and its camera's m-lines first, always (docs/SFU.md); a video m-line after
 * the camera's is a shared screen, an audio one after the microphone's is the screen's
 * sound. So no message has to say which stream is the screen, as in a mesh.
 */
export function publishedKind(
  streams: readonly PublishedStream[],
  mid: string | undefined,
): SfuStream['kind'] | null {
  const stream = streams.find((s) => s.mid === mid);
  if (!stream) {
    return null;
  }
  if (stream.type === 'data') {
    return 'data';
  }
  const first = streams
    .filter((s) => s.type === stream.type)
    .reduce<PublishedStream | null>((a, s) => (a === null || s.mindex < a.mindex ? s : a), null);
  if (first === stream) {
    return stream.type;
  }
  return stream.type === 'video' ? 'screen' : 'screen-audio';
}

/** The streams of a feed that Janus forwards now (not disabled by the publisher). */
export function liveMids(streams: readonly PublishedStream[]): string[] {
  return streams.filter((s) => !s.disabled && s.type !== 'data').map((s) => s.mid);
}

/**
 * How a subscription must change so that it carries every live stream of the feeds it
 * already has: the streams a publisher added since (a screen share started) and those it
 * disabled (the share stopped). Feeds not subscribed yet are not this function's.
 */
export function subscriptionChanges(
  subscribedFeeds: ReadonlySet<string>,
  published: ReadonlyMap<string, readonly PublishedStream[]>,
  subscription: readonly SubscriptionStream[],
  asked: ReadonlySet<string>,
): {
  subscribe: Array<{ feed: string; mid: string }>;
  unsubscribe: Array<{ feed: string; mid: string }>;
} {
  const have = new Set(
    subscription
      .filter((s) => s.active && s.feedId !== undefined && s.feedMid !== undefined)
      .map((s) => feedMidKey(String(s.feedId), s.feedMid as string)),
  );
  const subscribe: Array<{ feed: string; mid: string }> = [];
  const unsubscribe: Array<{ feed: string; mid: string }> = [];
  for (const feed of subscribedFeeds) {
    const streams = published.get(feed);
    if (!streams) {
      continue;
    }
    const live = new Set(liveMids(streams));
    for (const mid of live) {
      const key = feedMidKey(feed, mid);
      if (!have.has(key) && !asked.has(key)) {
        subscribe.push({ feed, mid });
      }
    }
    for (const key of have) {
      const [f, mid] = splitFeedMidKey(key);
      if (f === feed && !live.has(mid)) {
        unsubscribe.push({ feed, mid });
      }
    }
  }
  return { subscribe, unsubscribe };
}

/** One stream of one feed, as a set key. */
export function feedMidKey(feed: string, mid: string): string {
  return `${feed}\u0000${mid}`;
}

function splitFeedMidKey(key: string): [string, string] {
  const at = key.indexOf('\u0000');
  return [key.slice(0, at), key.slice(at + 1)];
}
