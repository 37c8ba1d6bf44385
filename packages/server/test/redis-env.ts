/**
 * Redis for the cluster suites: 127.0.0.1:6379 (no persistence needed), shared by every
 * test through a random key prefix that each test drops afterwards. Redis missing:
 * skipped loudly on a laptop, a failure when CI=true (like store-backends.ts).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** Override with PARLEY_TEST_REDIS_URL. */
export const REDIS_TEST_URL = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** A short-lived client that neither retries nor queues: for probing and cleaning up. */
export function plainClient(url: string = REDIS_TEST_URL): Redis {
  return new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
}

async function probeRedis(): Promise<string | null> {
  const client = plainClient();
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    client.disconnect();
  }
}

/** Why Redis cannot be used, or null when it can. */
export const redisProblem: string | null = await probeRedis();
if (redisProblem) {
  const reason = `Redis not reachable at ${REDIS_TEST_URL}: ${redisProblem}`;
  if (process.env.CI === 'true') {
    throw new Error(`CI: ${reason}`);
  }
  console.warn(`SKIPPED (Redis cluster suites): ${reason}`);
}

/** A key prefix no other test uses, like `parley-test-1a2b3c4d5e6f:`. */
export function uniquePrefix(): string {
  return `parley-test-${randomBytes(6).toString('hex')}:`;
}

/** Delete every key under `prefix` (found with SCAN, so Redis is never blocked). */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const client = plainClient(url);
  client.on('error', () => {});
  try {
    await client.connect();
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(
        cursor,
        'MATCH',
        `${escapeGlob(prefix)}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      keys.forEach((k) => found.add(k));
    } while (cursor !== '0');
    // One command: whoever watches these keys sees them all vanish at once, like a restart.
    if (found.size > 0) {
      await client.unlink(...found);
    }
  } finally {
    client.disconnect();
  }
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}
