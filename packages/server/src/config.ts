/**
 * One configuration schema for the server. Every option has a CLI flag, a PARLEY_*
 * environment variable and a default that works on a laptop; `parley --help` is
 * generated from this table, so the two cannot drift apart.
 */
import { isIP } from 'node:net';
import { DEFAULT_MAX_MESSAGE_BYTES } from '@parley/protocol/constants';

type Kind = 'string' | 'int' | 'bool' | 'list';

export interface OptionSpec<K extends Kind = Kind> {
  kind: K;
  env: string;
  help: string;
  default: K extends 'string'
    ? string | undefined
    : K extends 'int'
      ? number
      : K extends 'bool'
        ? boolean
        : string[];
  /** For ints: the smallest accepted value. */
  min?: number;
  /** Not shown in plain text by --help (secrets). */
  secret?: boolean;
}

export function opt<K extends Kind>(spec: OptionSpec<K>): OptionSpec<K> {
  return spec;
}

/** The table every option is read from. Keys are the camelCase of the `--kebab-flag`. */
export const optionSpecs = {
  port: opt({
    kind: 'int',
    env: 'PARLEY_PORT',
    default: 3000,
    min: 0,
    help: 'TCP port for HTTP and WebSocket (0 picks a free one)',
  }),
  host: opt({
    kind: 'string',
    env: 'PARLEY_HOST',
    default: '0.0.0.0',
    help: 'address to listen on',
  }),
  dataDir: opt({
    kind: 'string',
    env: 'PARLEY_DATA_DIR',
    default: './data',
    help: 'directory for the embedded SQLite database (parley.db); ":memory:" keeps nothing',
  }),
  webDir: opt({
    kind: 'string',
    env: 'PARLEY_WEB_DIR',
    default: undefined,
    help: 'built web app to serve (default: the bundled packages/web/dist); "none" serves no web app',
  }),
  cert: opt({
    kind: 'string',
    env: 'PARLEY_CERT',
    default: undefined,
    help: 'TLS certificate (PEM) to serve HTTPS, e.g. from mkcert',
  }),
  key: opt({
    kind: 'string',
    env: 'PARLEY_KEY',
    default: undefined,
    help: 'TLS private key (PEM) for --cert',
  }),
  maxRoomSize: opt({
    kind: 'int',
    env: 'PARLEY_MAX_ROOM_SIZE',
    default: 6,
    min: 2,
    help: 'participants per room: 6 by default (a full mesh sends to every other); with --sfu-url, rooms past --mesh-max go through Janus and the default is 50',
  }),
  meshMax: opt({
    kind: 'int',
    env: 'PARLEY_MESH_MAX',
    default: 4,
    min: 2,
    help: 'with --sfu-url: rooms larger than this send their media through the SFU (Janus) instead of a full mesh',
  }),
  maxRooms: opt({
    kind: 'int',
    env: 'PARLEY_MAX_ROOMS',
    default: 10000,
    min: 1,
    help: 'rooms open at once on this server',
  }),
  maxConnections: opt({
    kind: 'int',
    env: 'PARLEY_MAX_CONNECTIONS',
    default: 20000,
    min: 1,
    help: 'WebSocket connections held at once',
  }),
  maxMessageBytes: opt({
    kind: 'int',
    env: 'PARLEY_MAX_MESSAGE_BYTES',
    default: DEFAULT_MAX_MESSAGE_BYTES,
    min: 1024,
    help: 'largest WebSocket frame accepted; larger closes the socket with 1009',
  }),
  rateLimit: opt({
    kind: 'int',
    env: 'PARLEY_RATE_LIMIT',
    default: 200,
    min: 1,
    help: 'messages per second one connection may send (burst: twice this)',
  }),
  heartbeatMs: opt({
    kind: 'int',
    env: 'PARLEY_HEARTBEAT_MS',
    default: 10000,
    min: 50,
    help: 'ping interval; a socket that misses two pongs is dropped, and clients ping after this much silence',
  }),
  resumeGraceMs: opt({
    kind: 'int',
    env: 'PARLEY_RESUME_GRACE_MS',
    default: 20000,
    min: 0,
    help: 'how long a dropped session keeps its room seat for a resume',
  }),
  resumeBufferSize: opt({
    kind: 'int',
    env: 'PARLEY_RESUME_BUFFER',
    default: 256,
    min: 0,
    help: 'messages kept for a dropped session until it resumes',
  }),
  stunUrls: opt({
    kind: 'list',
    env: 'PARLEY_STUN_URLS',
    default: [],
    help: 'STUN URLs given to clients, comma-separated (stun:host:3478)',
  }),
  turnUrls: opt({
    kind: 'list',
    env: 'PARLEY_TURN_URLS',
    default: [],
    help: 'TURN URLs given to clients, comma-separated (turn:host:3478?transport=udp,turns:host:5349)',
  }),
  turnSecret: opt({
    kind: 'string',
    env: 'PARLEY_TURN_SECRET',
    default: undefined,
    secret: true,
    help: 'coturn static-auth-secret: per-session credentials are minted with it (never sent to browsers)',
  }),
  turnUsername: opt({
    kind: 'string',
    env: 'PARLEY_TURN_USERNAME',
    default: undefined,
    help: 'static TURN username, for providers without shared-secret auth',
  }),
  turnPassword: opt({
    kind: 'string',
    env: 'PARLEY_TURN_PASSWORD',
    default: undefined,
    secret: true,
    help: 'static TURN password, with --turn-username',
  }),
  turnTtl: opt({
    kind: 'int',
    env: 'PARLEY_TURN_TTL',
    default: 86400,
    min: 10,
    help: 'lifetime of minted TURN credentials, in seconds',
  }),
  turnRealm: opt({
    kind: 'string',
    env: 'PARLEY_TURN_REALM',
    default: 'parley',
    help: 'TURN realm (used by `parley turn-config`)',
  }),
  callRingTimeoutMs: opt({
    kind: 'int',
    env: 'PARLEY_CALL_RING_TIMEOUT_MS',
    default: 30000,
    min: 1000,
    help: 'how long a direct call rings before it ends as "no answer"',
  }),
  callDropGraceMs: opt({
    kind: 'int',
    env: 'PARLEY_CALL_DROP_GRACE_MS',
    default: 8000,
    min: 0,
    help: 'how long a call waits for a dropped tab to reconnect before ending it as "failed"',
  }),
  sessionTtlHours: opt({
    kind: 'int',
    env: 'PARLEY_SESSION_TTL_HOURS',
    default: 24 * 30,
    min: 1,
    help: 'how long a sign-in lasts (the session cookie and its server-side record)',
  }),
  scryptCost: opt({
    kind: 'int',
    env: 'PARLEY_SCRYPT_COST',
    default: 15,
    min: 10,
    help: 'password hashing cost, log2 of scrypt N (15 = 32 MiB and ~0.1 s per hash)',
  }),
  trustedProxies: opt({
    kind: 'list',
    env: 'PARLEY_TRUSTED_PROXIES',
    default: [],
    help:
      'reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, comma-separated ' +
      'addresses or CIDR ranges (127.0.0.1,10.0.0.0/8; also loopback, linklocal, uniquelocal); ' +
      'empty: the socket address is the client',
  }),
  signInMaxPerIp: opt({
    kind: 'int',
    env: 'PARLEY_SIGN_IN_MAX_PER_IP',
    default: 30,
    min: 1,
    help: 'sign-in attempts one address may make per --sign-in-window-sec',
  }),
  signInMaxPerAccount: opt({
    kind: 'int',
    env: 'PARLEY_SIGN_IN_MAX_PER_ACCOUNT',
    default: 10,
    min: 1,
    help: 'failed sign-ins one username may take per --sign-in-window-sec (any address)',
  }),
  registerMaxPerIp: opt({
    kind: 'int',
    env: 'PARLEY_REGISTER_MAX_PER_IP',
    default: 10,
    min: 1,
    help: 'accounts one address may create per --sign-in-window-sec',
  }),
  signInWindowSec: opt({
    kind: 'int',
    env: 'PARLEY_SIGN_IN_WINDOW_SEC',
    default: 900,
    min: 1,
    help: 'window of the sign-in and registration limits, in seconds',
  }),
  turnUserQuota: opt({
    kind: 'int',
    env: 'PARLEY_TURN_USER_QUOTA',
    default: 12,
    min: 1,
    help: 'relay allocations one TURN user may hold at once (used by `parley turn-config`)',
  }),
  turnTotalQuota: opt({
    kind: 'int',
    env: 'PARLEY_TURN_TOTAL_QUOTA',
    default: 1200,
    min: 1,
    help: 'relay allocations the TURN server holds in total (used by `parley turn-config`)',
  }),
  uplinkBudgetKbps: opt({
    kind: 'int',
    env: 'PARLEY_UPLINK_BUDGET_KBPS',
    default: 2500,
    min: 100,
    help: 'what each participant may upload in total in a mesh call; video is capped per peer to fit',
  }),
  iceTransportPolicy: opt({
    kind: 'string',
    env: 'PARLEY_ICE_TRANSPORT_POLICY',
    default: 'all',
    help: '"relay" makes every client send media through TURN only (hides IP addresses; tests)',
  }),
  sfuUrl: opt({
    kind: 'string',
    env: 'PARLEY_SFU_URL',
    default: undefined,
    help: 'Janus WebSocket API for large rooms, e.g. ws://127.0.0.1:8188 (loopback or a private network: Parley is its only client; docs/SFU.md); unset: mesh only',
  }),
  sfuApiSecret: opt({
    kind: 'string',
    env: 'PARLEY_SFU_API_SECRET',
    default: undefined,
    secret: true,
    help: "Janus's api_secret, sent with every Janus request (never to browsers)",
  }),
  sfuAdminKey: opt({
    kind: 'string',
    env: 'PARLEY_SFU_ADMIN_KEY',
    default: undefined,
    secret: true,
    help: "the videoroom plugin's admin_key, needed to create rooms in Janus",
  }),
  sfuStringIds: opt({
    kind: 'bool',
    env: 'PARLEY_SFU_STRING_IDS',
    default: true,
    help: "whether Janus's videoroom uses string room and participant ids (its string_ids setting)",
  }),
  databaseUrl: opt({
    kind: 'string',
    env: 'DATABASE_URL',
    default: undefined,
    secret: true,
    help: 'postgres://user:pass@host/db to use PostgreSQL instead of SQLite in --data-dir',
  }),
  redisUrl: opt({
    kind: 'string',
    env: 'REDIS_URL',
    default: undefined,
    secret: true,
    help: 'redis://host:6379/0 to share rooms, presence, calls and live chat with other Parley nodes (needs --database-url); unset: this process alone',
  }),
  redisPrefix: opt({
    kind: 'string',
    env: 'PARLEY_REDIS_PREFIX',
    default: 'parley:',
    help: 'prefix of every Redis key and channel, so several clusters can share one Redis',
  }),
  nodeId: opt({
    kind: 'string',
    env: 'PARLEY_NODE_ID',
    default: undefined,
    help: "this node's name in the cluster, in logs and metrics (default: hostname and a random suffix)",
  }),
  leaseTtlMs: opt({
    kind: 'int',
    env: 'PARLEY_LEASE_TTL_MS',
    default: 15000,
    min: 1000,
    help: 'with Redis: a node that dies (stops renewing its lease) is released by the others within this long: its seats leave, its users go offline, its calls end',
  }),
  drainTimeoutMs: opt({
    kind: 'int',
    env: 'PARLEY_DRAIN_TIMEOUT_MS',
    default: 10000,
    min: 0,
    help: 'on SIGTERM: how long to wait for clients to move to another node before exiting',
  }),
  chatMaxLength: opt({
    kind: 'int',
    env: 'PARLEY_CHAT_MAX_LENGTH',
    default: 4000,
    min: 1,
    help: 'longest chat message, in characters after trimming',
  }),
  chatRateLimit: opt({
    kind: 'int',
    env: 'PARLEY_CHAT_RATE_LIMIT',
    default: 5,
    min: 1,
    help: 'chat messages per second one connection may post (burst: twice this)',
  }),
  chatHistorySize: opt({
    kind: 'int',
    env: 'PARLEY_CHAT_HISTORY_SIZE',
    default: 50,
    min: 0,
    help: 'latest chat messages sent to whoever joins a room',
  }),
  chatRetentionDays: opt({
    kind: 'int',
    env: 'PARLEY_CHAT_RETENTION_DAYS',
    default: 0,
    min: 0,
    help: "delete a room's chat messages older than this many days (0 keeps them)",
  }),
  chatRetentionMessages: opt({
    kind: 'int',
    env: 'PARLEY_CHAT_RETENTION_MESSAGES',
    default: 0,
    min: 0,
    help: 'keep at most this many chat messages per room, deleting the oldest (0: no cap)',
  }),
  chatRetentionRooms: opt({
    kind: 'list',
    env: 'PARLEY_CHAT_RETENTION_ROOMS',
    default: [],
    help: 'per-room retention, comma-separated room:days:messages (e.g. standup:7:0,lobby:0:500)',
  }),
  fileMaxBytes: opt({
    kind: 'int',
    env: 'PARLEY_FILE_MAX_BYTES',
    default: 100 * 1024 * 1024,
    min: 1,
    help: 'largest file participants may share peer to peer (announced to clients)',
  }),
  logLevel: opt({
    kind: 'string',
    env: 'PARLEY_LOG_LEVEL',
    default: 'warn',
    help: 'fatal, error, warn, info, debug, trace or silent',
  }),
} as const;

export type OptionName = keyof typeof optionSpecs;
type ValueOf<S> =
  S extends OptionSpec<infer K>
    ? K extends 'string'
      ? S['default'] extends string
        ? string
        : string | undefined
      : K extends 'int'
        ? number
        : K extends 'bool'
          ? boolean
          : string[]
    : never;
/** A table of options, like `optionSpecs` (commands such as `janus-config` add their own). */
export type OptionTable = Readonly<Record<string, OptionSpec>>;
/** The values read from an option table. */
export type OptionValues<T extends OptionTable> = { -readonly [K in keyof T]: ValueOf<T[K]> };
export type Config = OptionValues<typeof optionSpecs>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function convert(name: string, spec: OptionSpec, raw: string, source: string): unknown {
  switch (spec.kind) {
    case 'int': {
      if (!/^-?\d+$/.test(raw.trim())) {
        throw new ConfigError(`${source}: expected a whole number, got "${raw}"`);
      }
      const n = Number(raw);
      if (spec.min !== undefined && n < spec.min) {
        throw new ConfigError(`${source}: must be at least ${spec.min}, got ${n}`);
      }
      return n;
    }
    case 'bool':
      if (/^(1|true|yes|on)$/i.test(raw)) {
        return true;
      }
      if (/^(0|false|no|off)$/i.test(raw)) {
        return false;
      }
      throw new ConfigError(`${source}: expected true or false, got "${raw}"`);
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    case 'string':
      return raw;
  }
  throw new ConfigError(`unknown option kind for ${name}`);
}

/**
 * Read the options of `specs` from defaults, then environment, then CLI flags (later
 * wins). No cross-option checks: `loadConfig` adds those for the server's table.
 * `given`, if passed, collects the names set by the environment or a flag.
 */
export function readOptions<T extends OptionTable>(
  specs: T,
  argv: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
  given?: Set<string>,
): OptionValues<T> {
  const out: Record<string, unknown> = {};
  const byFlag = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) {
    out[name] = Array.isArray(spec.default) ? [...spec.default] : spec.default;
    byFlag.set(`--${kebab(name)}`, name);
    const fromEnv = env[spec.env];
    if (fromEnv !== undefined && fromEnv !== '') {
      out[name] = convert(name, spec, fromEnv, spec.env);
      given?.add(name);
    }
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const name =
      byFlag.get(flag) ?? (flag.startsWith('--no-') ? byFlag.get(`--${flag.slice(5)}`) : undefined);
    if (!name) {
      throw new ConfigError(`unknown option ${flag} (see --help)`);
    }
    const spec = specs[name] as OptionSpec;
    given?.add(name);
    if (spec.kind === 'bool' && eq < 0) {
      out[name] = !flag.startsWith('--no-');
      continue;
    }
    let raw: string | undefined;
    if (eq > 0) {
      raw = arg.slice(eq + 1);
    } else {
      raw = argv[++i];
      if (raw === undefined) {
        throw new ConfigError(`${flag} needs a value`);
      }
    }
    out[name] = convert(name, spec, raw, flag);
  }
  return out as OptionValues<T>;
}

/**
 * Build a Config from defaults, then environment, then CLI flags (later wins),
 * then `overrides` (for tests and embedding).
 */
export function loadConfig(
  argv: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
  overrides: Partial<Config> = {},
): Config {
  const given = new Set<string>(Object.keys(overrides));
  const config: Config = { ...readOptions(optionSpecs, argv, env, given), ...overrides };
  applySfuDefaults(config, given);
  validateConfig(config);
  return config;
}

/** --max-room-size when --sfu-url is set and the size was not given: rooms past the mesh go through Janus. */
export const SFU_MAX_ROOM_SIZE = 50;

/**
 * With --sfu-url, rooms may grow well past a mesh: --max-room-size defaults to 50
 * unless it was given (flag, environment or override). Without it, 6 as ever.
 */
export function applySfuDefaults(
  config: { sfuUrl?: string | undefined; maxRoomSize: number },
  given: ReadonlySet<string>,
): void {
  if (config.sfuUrl !== undefined && !given.has('maxRoomSize')) {
    config.maxRoomSize = SFU_MAX_ROOM_SIZE;
  }
}

/** The checks that involve several options, or more than a value's type. */
export function validateConfig(config: Config): void {
  if (Boolean(config.cert) !== Boolean(config.key)) {
    throw new ConfigError('--cert and --key go together: give both to serve HTTPS, or neither');
  }
  if (Boolean(config.turnUsername) !== Boolean(config.turnPassword)) {
    throw new ConfigError('--turn-username and --turn-password go together');
  }
  if (config.turnUrls.length > 0 && !config.turnSecret && !config.turnUsername) {
    throw new ConfigError(
      '--turn-urls needs --turn-secret (coturn use-auth-secret) or --turn-username/--turn-password',
    );
  }
  if (config.redisUrl && !config.databaseUrl) {
    throw new ConfigError(
      '--redis-url needs --database-url: nodes that share rooms must share one PostgreSQL database for chat, accounts and calls',
    );
  }
  if (config.iceTransportPolicy !== 'all' && config.iceTransportPolicy !== 'relay') {
    throw new ConfigError(
      `--ice-transport-policy: expected "all" or "relay", got "${config.iceTransportPolicy}"`,
    );
  }
  if (config.iceTransportPolicy === 'relay' && config.turnUrls.length === 0) {
    throw new ConfigError(
      '--ice-transport-policy relay needs --turn-urls (media goes through TURN)',
    );
  }
  for (const proxy of config.trustedProxies) {
    if (!isProxySpec(proxy)) {
      throw new ConfigError(
        `--trusted-proxies: "${proxy}" is not an address, a CIDR range or loopback/linklocal/uniquelocal`,
      );
    }
  }
  if (config.sfuUrl !== undefined) {
    const problem = sfuUrlProblem(config.sfuUrl);
    if (problem) {
      throw new ConfigError(`--sfu-url: ${problem}`);
    }
    if (config.meshMax >= config.maxRoomSize) {
      throw new ConfigError(
        `--mesh-max (${config.meshMax}) must be below --max-room-size (${config.maxRoomSize}): ` +
          'rooms larger than --mesh-max go through the SFU',
      );
    }
  }
}

/**
 * Why `url` cannot be the Janus API address, or null. The Janus API is for Parley alone
 * (it holds the API secret and creates rooms), so an address literal must be loopback
 * or private; a host name is trusted to resolve to one (docs/SFU.md).
 */
export function sfuUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL (expected ws://127.0.0.1:8188)`;
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    return `expected a ws:// or wss:// URL (Janus's WebSocket transport), got "${parsed.protocol}"`;
  }
  if (parsed.username || parsed.password) {
    return 'no credentials in the URL: give the API secret with --sfu-api-secret';
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 && !isPrivateAddress(host)) {
    return (
      `${host} is a public address; the Janus API must stay on loopback or a private network ` +
      '(only its media ports face the internet)'
    );
  }
  return null;
}

/** Loopback, RFC 1918, carrier-grade NAT, IPv6 unique-local, or link-local. */
export function isPrivateAddress(address: string): boolean {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address;
  if (isIP(v4) === 4) {
    const [a = 0, b = 0] = v4.split('.').map(Number);
    return (
      a === 127 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254)
    );
  }
  const lower = address.toLowerCase();
  return lower === '::1' || /^f[cd][0-9a-f]{2}:/.test(lower) || /^fe[89ab][0-9a-f]:/.test(lower);
}

/** An IP address, a CIDR range, or one of the named ranges proxy-addr knows. */
function isProxySpec(spec: string): boolean {
  if (/^(loopback|linklocal|uniquelocal)$/.test(spec)) {
    return true;
  }
  const [address, bits, extra] = spec.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || extra !== undefined) {
    return false;
  }
  if (bits === undefined) {
    return true;
  }
  const n = /^\d{1,3}$/.test(bits) ? Number(bits) : -1;
  return n >= 0 && n <= (family === 4 ? 32 : 128);
}

/** One `--flag <value>` entry and its environment line per option, for --help texts. */
export function describeOptions(specs: OptionTable): string[] {
  const lines: string[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const def = Array.isArray(spec.default)
      ? spec.default.join(',') || '(none)'
      : spec.default === undefined
        ? '(none)'
        : String(spec.default);
    const value = spec.kind === 'bool' ? '' : spec.kind === 'int' ? ' <n>' : ' <value>';
    lines.push(`  --${kebab(name)}${value}`.padEnd(34) + ` ${spec.help}`);
    lines.push(''.padEnd(34) + ` env ${spec.env}, default ${spec.secret ? '(none)' : def}`);
  }
  return lines;
}

/** The text `parley --help` prints. */
export function helpText(): string {
  return [
    'Usage: parley [options]             run the Parley server',
    '       parley turn-config [options] print a hardened coturn configuration for these options',
    '       parley janus-config [options] print a hardened Janus configuration (see janus-config --help)',
    '',
    'Every option can also be set by its environment variable. Flags win over the environment.',
    '',
    ...describeOptions(optionSpecs),
    '',
    '  --help                           show this text',
    '  --version                        print the version',
  ].join('\n');
}
