import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@parley/protocol/constants';
import { AddressLimits } from './address-limits.js';

describe('AddressLimits', () => {
  it('refuses an address past its sockets, then past its rate, and forgets it when idle', () => {
    let now = 0;
    const limits = new AddressLimits({ maxPerAddress: 2, ratePerMinute: 3 }, () => now);
    expect(limits.admit('a')).toBeNull();
    expect(limits.admit('a')).toBeNull();
    expect(limits.admit('a')).toBe(ErrorCode.TooManyConnections);
    // Another address is not affected.
    expect(limits.admit('b')).toBeNull();
    limits.release('a');
    expect(limits.openFrom('a')).toBe(1);
    // The third socket of the minute is the last of the burst; a fourth is too fast.
    expect(limits.admit('a')).toBeNull();
    limits.release('a');
    expect(limits.admit('a')).toBe(ErrorCode.ConnectRateLimited);
    // 20 s later one token is back.
    now = 20_000;
    expect(limits.admit('a')).toBeNull();
    for (let i = 0; i < 2; i++) {
      limits.release('a');
    }
    limits.release('b');
    expect(limits.openFrom('a')).toBe(0);
    // Held nothing and full again after a minute: forgotten.
    now = 80_001;
    limits.sweep();
    expect(limits.size).toBe(0);
  });
});
