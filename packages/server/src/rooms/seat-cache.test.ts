import { describe, expect, it } from 'vitest';
import { SeatCache } from './seat-cache.js';

const member = (peerId: string) => ({
  peerId,
  sessionId: `s-${peerId}`,
  nodeId: 'n1',
  name: peerId,
  media: { audio: true, video: true },
  joinedAt: 0,
});

describe('SeatCache', () => {
  it('finds a seat by room and peer id, never across rooms, and forgets it when told', () => {
    const cache = new SeatCache();
    cache.set('r1', member('p1'));
    expect(cache.get('r1', 'p1')?.sessionId).toBe('s-p1');
    expect(cache.get('r2', 'p1')).toBeUndefined();
    cache.forget('r1', 'p1');
    expect(cache.get('r1', 'p1')).toBeUndefined();
  });

  it('is bounded in age and in size', () => {
    let now = 0;
    const cache = new SeatCache(1000, 2, () => now);
    cache.set('r', member('a'));
    now = 1001;
    expect(cache.get('r', 'a')).toBeUndefined();
    cache.set('r', member('b'));
    cache.set('r', member('c'));
    cache.set('r', member('d'));
    expect(cache.get('r', 'b')).toBeUndefined();
    expect(cache.get('r', 'd')?.peerId).toBe('d');
  });
});
