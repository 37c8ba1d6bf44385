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
  maxConnectionsPerAddress: opt({
    kind: 'int',
    env: 'PARLEY_MAX_CONNECTIONS_PER_ADDRESS',
    default: 200,
    min: 1,
    help: 'WebSocket connections one client address may hold at once (an office behind one NAT shares one address, and a tab uses one or two); more are refused with too_many_connections',
  }),
  connectRatePerAddress: opt({
    kind: 'int',
    env: 'PARLEY_CONNECT_RATE_PER_ADDRESS',
    default: 600,
    min: 1,
    help: 'new WebSocket connections one client address may open per minute (burst: the same number at once: a whole office joining one meeting); faster ones are refused with connect_rate_limited',
  }),
  helloTimeoutMs: opt({
    kind: 'int',
    env: 'PARLEY_HELLO_TIMEOUT_MS',
    default: 10_000,
    min: 100,
    help: 'a socket that has not sent hello within this time is closed (hello_timeout), so silent sockets cannot hold connection slots',
  }),
  httpTimeoutMs: opt({
    kind: 'int',
    env: 'PARLEY_HTTP_TIMEOUT_MS',
    default: 30_000,
    min: 100,
    help: 'time an HTTP client has to send its headers and its whole request; a slower one gets 408 and is disconnected',
  }),
  allowedHosts: opt({
    kind: 'list',
    env: 'PARLEY_ALLOWED_HOSTS',
    default: [],
    help:
      'host names this server answers to besides localhost and IP literals, comma-separated ' +
      '(parley.example.com, .example.com for every subdomain; "all" turns the check off); ' +
      'other Host headers get 403 forbidden_host (DNS rebinding)',
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
  roomDataMaxBytes: opt({
    kind: 'int',
    env: 'PARLEY_ROOM_DATA_MAX_BYTES',
    default: 32 * 1024,
    min: 24 * 1024,
    help: 'largest payload of one `room-data` frame (data through the server in SFU rooms: reactions, file chunks; a 16 KiB file chunk is 21,848 bytes of base64); must fit in --max-message-bytes with 1 KiB to spare (unset: at most that)',
  }),
  roomDataRate: opt({
    kind: 'int',
    env: 'PARLEY_ROOM_DATA_RATE',
    default: 512 * 1024,
    min: 1024,
    help: 'bytes per second of `room-data` one connection may have relayed (burst: twice this; a frame to everyone costs its size times the others in the room); clients pace file transfers under it',
  }),
  lobbyMax: opt({
    kind: 'int',
    env: 'PARLEY_LOBBY_MAX',
    default: 50,
    min: 1,
    help: "people one room's lobby may hold while they wait for the host (more: lobby_full)",
  }),
  roomPasswordAttempts: opt({
    kind: 'int',
    env: 'PARLEY_ROOM_PASSWORD_ATTEMPTS',
    default: 10,
    min: 1,
    help: 'room password tries per room and client address in --room-password-window-ms (more: rate_limited)',
  }),
  roomPasswordWindowMs: opt({
    kind: 'int',
    env: 'PARLEY_ROOM_PASSWORD_WINDOW_MS',
    default: 600_000,
    min: 1000,
    help: 'the window over which --room-password-attempts counts',
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
    help: 'sign-in attempts on one username from one address (or from one browser that signed in to it before) per --sign-in-window-sec: a stranger locks out only their own address',
  }),
  userLookupsPerMinute: opt({
    kind: 'int',
    env: 'PARLEY_USER_LOOKUPS_PER_MINUTE',
    default: 30,
    min: 1,
    help: 'user lookups by name (GET /api/users/:username, to add a contact) one signed-in user may make per minute; more get 429 rate_limited (username enumeration)',
  }),
  signInMaxPerAccountTotal: opt({
    kind: 'int',
    env: 'PARLEY_SIGN_IN_MAX_PER_ACCOUNT_TOTAL',
    default: 100,
    min: 1,
    help: 'sign-in attempts on one username from browsers it does not know, all addresses together, per --sign-in-window-sec (guessing spread over many addresses); browsers that signed in before are exempt',
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
  sfuKeyframeInterval: opt({
    kind: 'int',
    env: 'PARLEY_SFU_KEYFRAME_INTERVAL',
    default: 5,
    min: 0,
    help: 'seconds between key frames Janus asks of every publisher (its fir_freq); a layer switch or a resume whose own key frame request Janus dropped (it sends at most one a second) completes within this; 0: only on demand',
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
  chatRatePerAddress: opt({
    kind: 'int',
    env: 'PARLEY_CHAT_RATE_PER_ADDRESS',
    default: 10,
    min: 1,
    help: 'chat messages per second one client address may post over all its connections (burst: twice this; per node)',
  }),
  chatRatePerRoom: opt({
    kind: 'int',
    env: 'PARLEY_CHAT_RATE_PER_ROOM',
    default: 20,
    min: 1,
    help: 'chat messages per second one room may take from everyone in it (burst: twice this; per node)',
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
    default: 30,
    min: 0,
    help: "delete a room's chat messages older than this many days (0 keeps them); rooms are open to anyone with the link, so the default keeps a month",
  }),
  chatRetentionMessages: opt({
    kind: 'int',
    env: 'PARLEY_CHAT_RETENTION_MESSAGES',
    default: 5000,
    min: 0,
    help: 'keep at most this many chat messages per room, deleting the oldest (0: no cap), so a room cannot grow the database without bound',
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
  meetEnabled: opt({
    kind: 'bool',
    env: 'PARLEY_MEET_ENABLED',
    default: true,
    help: '"meet someone new" (/meet): pair strangers for one-to-one calls; false refuses its messages with meet_disabled',
  }),
  meetAnyoneAfterMs: opt({
    kind: 'int',
    env: 'PARLEY_MEET_ANYONE_AFTER_MS',
    default: 10000,
    min: 0,
    help: 'meet: after waiting this long, a person is paired with anyone (before: overlapping interests, then language, first)',
  }),
  meetSkipMs: opt({
    kind: 'int',
    env: 'PARLEY_MEET_SKIP_MS',
    default: 300000,
    min: 0,
    help: 'meet: after Next, the two are not paired with each other again for this long',
  }),
  meetNextIntervalMs: opt({
    kind: 'int',
    env: 'PARLEY_MEET_NEXT_INTERVAL_MS',
    default: 2000,
    min: 0,
    help: 'meet: shortest time between two Nexts of one person (sooner: next_too_soon)',
  }),
  meetJoinTimeoutMs: opt({
    kind: 'int',
    env: 'PARLEY_MEET_JOIN_TIMEOUT_MS',
    default: 20000,
    min: 1000,
    help: 'meet: a matched person who has not joined the private room by then ends the match (the other is queued again)',
  }),
  meetPairIntervalMs: opt({
    kind: 'int',
    env: 'PARLEY_MEET_PAIR_INTERVAL_MS',
    default: 1000,
    min: 50,
    help: 'meet: how often each node retries pairing its waiting people (wait and skip limits run out between arrivals)',
  }),
  meetQueuePushMs: opt({
    kind: 'int',
    env: 'PARLEY_MEET_QUEUE_PUSH_MS',
    default: 1000,
    min: 100,
    help: 'meet: waiting people are told the queue length and wait estimate at most this often (when it changed)',
  }),
  meetScanLimit: opt({
    kind: 'int',
    env: 'PARLEY_MEET_SCAN_LIMIT',
    default: 500,
    min: 1,
    help: 'meet: a pairing considers at most this many of the longest-waiting people (bounds its cost)',
  }),
  boardEnabled: opt({
    kind: 'bool',
    env: 'PARLEY_BOARD_ENABLED',
    default: true,
    help: 'the open-call board (/board); false refuses its messages with board_disabled',
  }),
  boardPostTtlMs: opt({
    kind: 'int',
    env: 'PARLEY_BOARD_POST_TTL_MS',
    default: 600000,
    min: 1000,
    help: 'board: an unanswered post is removed after this long',
  }),
  boardMaxPostsPerPerson: opt({
    kind: 'int',
    env: 'PARLEY_BOARD_MAX_POSTS_PER_PERSON',
    default: 1,
    min: 1,
    help: 'board: open posts one person may have at a time (more: too_many_posts)',
  }),
  boardMaxPosts: opt({
    kind: 'int',
    env: 'PARLEY_BOARD_MAX_POSTS',
    default: 200,
    min: 1,
    help: 'board: open posts on the whole board (more: board_full)',
  }),
  boardMaxTopicLength: opt({
    kind: 'int',
    env: 'PARLEY_BOARD_MAX_TOPIC_LENGTH',
    default: 140,
    min: 1,
    help: 'board: longest topic in characters after trimming, at most 500 (longer: topic_too_long)',
  }),
  pairRoomGrantTtlMs: opt({
    kind: 'int',
    env: 'PARLEY_PAIR_ROOM_GRANT_TTL_MS',
    default: 4 * 3600_000,
    min: 1000,
    help: 'how long the two people of a meet match or an answered board post may (re)join their private room',
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
  applyRoomDataDefaults(config, given);
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

/**
 * Without --room-data-max-bytes, a room-data payload takes what a frame leaves for it, up
 * to the default: a server with small frames (--max-message-bytes) still starts. Below
 * 21,848 bytes a 16 KiB file chunk does not fit, and file transfers in SFU rooms are
 * refused with `too_large` (docs/SFU.md).
 */
export function applyRoomDataDefaults(
  config: { roomDataMaxBytes: number; maxMessageBytes: number },
  given: ReadonlySet<string>,
): void {
  if (!given.has('roomDataMaxBytes')) {
    config.roomDataMaxBytes = Math.max(
      1,
      Math.min(config.roomDataMaxBytes, config.maxMessageBytes - ROOM_DATA_FRAME_OVERHEAD),
    );
  }
}

/** Room for the rest of a `room-data` frame (type, ids, stream, label) beside its payload. */
export const ROOM_DATA_FRAME_OVERHEAD = 1024;

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
  if (config.roomDataMaxBytes + ROOM_DATA_FRAME_OVERHEAD > config.maxMessageBytes) {
    throw new ConfigError(
      `--room-data-max-bytes (${config.roomDataMaxBytes}) plus ${ROOM_DATA_FRAME_OVERHEAD} bytes for the rest of the frame must fit in --max-message-bytes (${config.maxMessageBytes})`,
    );
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
    '       parley reports [options]     list the latest meet reports from the database (see reports --help)',
    '',
    'Every option can also be set by its environment variable. Flags win over the environment.',
    '',
    ...describeOptions(optionSpecs),
    '',
    '  --help                           show this text',
    '  --version                        print the version',
  ].join('\n');
}
