import { createHash } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';

/** Where the Redis back end reports trouble; fastify's logger and `console` both fit. */
export interface ClusterLog {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

/** The default log: the console, with the same `parley:` prefix as the rest of the server. */
export const consoleLog: ClusterLog = {
  info: (msg) => console.info(`parley: ${msg}`),
  warn: (msg) => console.warn(`parley: ${msg}`),
  error: (msg) => console.error(`parley: ${msg}`),
};

/** A command gets no reply for this long: it fails, so a request never hangs on Redis. */
export const COMMAND_TIMEOUT_MS = 2000;
/** Reconnect attempts back off up to this delay, and never stop. */
const MAX_RECONNECT_DELAY_MS = 1000;
/** A written command with no byte back for this long: the socket is dead (silent partition). */
const SOCKET_TIMEOUT_MS = 5000;

export interface OpenRedisOptions {
  /** Shown in CLIENT LIST (`parley-<name>`) and in log lines. */
  name: string;
  log?: ClusterLog;
  /** ioredis options that differ for this connection (e.g. `autoResubscribe` for the bus). */
  overrides?: RedisOptions;
}

/**
 * An ioredis client configured for Parley: every command fails fast while Redis is away
 * instead of waiting in a queue, and the connection is retried forever.
 *
 * - No offline queue, no resend of unanswered commands (`maxRetriesPerRequest: 0`,
 *   `autoResendUnfulfilledCommands: false`): a command that fails or times out is never
 *   executed later behind the caller's back (a "failed" join that seats someone after the
 *   restore, an INCR applied twice).
 * - `commandTimeout` bounds a command on a connection that looks alive but does not answer,
 *   and `socketTimeout` then drops that connection so it reconnects.
 * - Connection errors are logged once per outage (and the recovery once), not per attempt.
 */
export function openRedis(
  url: string,
  { name, log = consoleLog, overrides }: OpenRedisOptions,
): Redis {
  const client = new Redis(url, {
    connectionName: `parley-${name}`,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    enableOfflineQueue: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    connectTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 5), MAX_RECONNECT_DELAY_MS),
    ...overrides,
  });
  const where = `Redis at ${redactUrl(url)} (${name})`;
  let down = false;
  let everReady = false;
  const lost = (reason: string): void => {
    if (!down) {
      down = true;
      // The first failure before any connection is the caller's to report (a clear start error).
      if (everReady) {
        log.warn(`lost ${where}: ${reason}; reconnecting`);
      }
    }
  };
  client.on('error', (err: Error) => lost(err.message));
  client.on('close', () => {
    // 'end' here means we closed it on purpose (quit or disconnect): no outage.
    if (client.status !== 'end') {
      lost('connection closed');
    }
  });
  client.on('ready', () => {
    if (down && everReady) {
      log.info(`reconnected to ${where}`);
    }
    down = false;
    everReady = true;
  });
  return client;
}

/** Resolves on the client's next `ready`; rejects after `timeoutMs` with the last error seen. */
export function whenReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') {
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    let lastError = 'no answer';
    const onError = (err: Error): void => {
      lastError = err.message || (err as NodeJS.ErrnoException).code || String(err);
    };
    const done = (): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('error', onError);
    };
    const onReady = (): void => {
      done();
      resolve();
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(lastError));
    }, timeoutMs);
    client.on('ready', onReady);
    client.on('error', onError);
  });
}

/** Close a client politely when it is connected, at once otherwise; never throws. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') {
    return;
  }
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // Fall through: the connection went away while quitting.
    }
  }
  client.disconnect();
}

/** The URL as it may appear in logs: without its password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) {
      u.password = '***';
    }
    return u.toString();
  } catch {
    return '<invalid Redis URL>';
  }
}

/** A Lua script run by its SHA1; `keys` become KEYS, `args` become ARGV. */
export type LuaScript = (
  client: Redis,
  keys: readonly string[],
  args: readonly (string | number)[],
) => Promise<unknown>;

/**
 * Define a Lua script, run with EVALSHA and, when Redis does not know it (first use on this
 * server, or Redis restarted and lost its script cache), EVAL once with the source.
 * Unlike ioredis' `defineCommand`, this is typed and works with any client.
 */
export function defineScript(lua: string): LuaScript {
  const sha = createHash('sha1').update(lua).digest('hex');
  return async (client, keys, args) => {
    try {
      return await client.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) {
        throw err;
      }
      return client.eval(lua, keys.length, ...keys, ...args);
    }
  };
}

/** A message for a log line or an error, from anything thrown. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
