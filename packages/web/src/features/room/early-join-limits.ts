// How long a direct link's first render waits for the early join (early-join.ts). A file
// of its own, without imports, so that the e2e test reads the same numbers.

/**
 * The longest the app's first render waits for an early join's first offers to be
 * answered. Past it the interface appears anyway (a slow camera, a far server, a peer
 * that does not answer): the wait saves time only while it is short.
 */
export const SETTLE_LIMIT_MS = 1_000;
/**
 * The page's own request answered within this long (time to first byte) means a near
 * server, where the answers to our offers come back sooner than the app can render, so
 * the render waits for them. From a farther server they take longer than the render:
 * the app renders while they travel, as the wait would leave the page idle. Measured:
 * holding the render made a two-person call decode 20–35% sooner on loopback, and
 * showed the newcomer's video 190 ms later at 50 ms of round trip (docs/BENCHMARKS.md).
 */
export const NEAR_SERVER_MS = 25;
