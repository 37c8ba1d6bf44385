import { ErrorCode } from '@parley/protocol/constants';
import { KeyedBuckets } from './rate-limiter.js';

export interface AddressLimitsConfig {
  /** Sockets one address may hold at once. */
  maxPerAddress: number;
  /** New sockets one address may open per minute; also the burst. */
  ratePerMinute: number;
}

/**
 * Per-address limits on WebSocket connections: how many one address holds, and how
 * fast it opens new ones (a token bucket per address, the same KeyedBuckets as the chat
 * limits). Without them one address could take every slot of `--max-connections` and
 * keep everyone else out. An address is forgotten when it holds no socket and its
 * bucket is full again (`sweep`), so memory follows active addresses.
 */
export class AddressLimits {
  private readonly open = new Map<string, number>();
  private readonly rate: KeyedBuckets;

  constructor(
    private readonly config: AddressLimitsConfig,
    now: () => number = Date.now,
  ) {
    this.rate = new KeyedBuckets(config.ratePerMinute / 60, now, config.ratePerMinute);
  }

  /**
   * Count a new socket from `address`, or say why it is refused (nothing is counted
   * then). Every admitted socket must be given back with `release`.
   */
  admit(
    address: string,
  ): typeof ErrorCode.TooManyConnections | typeof ErrorCode.ConnectRateLimited | null {
    const open = this.open.get(address) ?? 0;
    if (open >= this.config.maxPerAddress) {
      return ErrorCode.TooManyConnections;
    }
    if (!this.rate.take(address)) {
      return ErrorCode.ConnectRateLimited;
    }
    this.open.set(address, open + 1);
    return null;
  }

  release(address: string): void {
    const open = this.open.get(address) ?? 0;
    if (open > 1) {
      this.open.set(address, open - 1);
    } else {
      this.open.delete(address);
    }
  }

  /** Sockets `address` holds now (tests, metrics). */
  openFrom(address: string): number {
    return this.open.get(address) ?? 0;
  }

  /** Addresses tracked now: holding a socket, or with a bucket not yet full. */
  get size(): number {
    return new Set([...this.open.keys(), ...this.rate.keys()]).size;
  }

  /** Forget addresses that hold nothing and could open a full burst again. */
  sweep(): void {
    this.rate.sweep();
  }
}
