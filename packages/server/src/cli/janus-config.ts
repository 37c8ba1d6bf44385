/**
 * `parley janus-config`: a hardened configuration for Janus, Parley's SFU. Parley is
 * the only client of the Janus API, so the API listens on loopback or a private address
 * only, demands a secret on every request, and the videoroom plugin lets only holders of
 * its admin key create rooms; the admin API, every other transport and plugin, event
 * handlers and loggers are off. What faces the internet is the RTP port range.
 *
 * Janus reads a configuration folder, so this makes three files: janus.jcfg (core,
 * media, ICE), janus.transport.websockets.jcfg and janus.plugin.videoroom.jcfg. They are
 * printed one after the other, each under a `# ==> name <==` line, or written to a
 * folder with `--out`.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import {
  ConfigError,
  describeOptions,
  isPrivateAddress,
  opt,
  optionSpecs,
  readOptions,
  validateConfig,
  type OptionValues,
} from '../config.js';

/** Where Debian's janus package keeps its plugins, transports, events and loggers. */
const DEBIAN_LIB_DIR = `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/janus`;

/** The SFU URL the files are made for when `--sfu-url` is not given. */
export const DEFAULT_SFU_URL = 'ws://127.0.0.1:8188';

/** Options of `janus-config` alone; it also reads the server's `--sfu-*` options. */
export const janusConfigOptions = {
  out: opt({
    kind: 'string',
    env: 'PARLEY_JANUS_OUT',
    default: undefined,
    help: 'write the files into this folder (created if missing; files with secrets get mode 0600) instead of printing them',
  }),
  janusConfigDir: opt({
    kind: 'string',
    env: 'PARLEY_JANUS_CONFIG_DIR',
    default: undefined,
    help: "the folder Janus will read these files from (configs_folder); default: --out's folder, else /etc/janus",
  }),
  janusLibDir: opt({
    kind: 'string',
    env: 'PARLEY_JANUS_LIB_DIR',
    default: DEBIAN_LIB_DIR,
    help: "Janus's plugins, transports, events and loggers folders are under this one",
  }),
  janusRtpPorts: opt({
    kind: 'string',
    env: 'PARLEY_JANUS_RTP_PORTS',
    default: '20000-40000',
    help: 'UDP port range for media (rtp_port_range): the only ports to open to the internet',
  }),
  janusPublicIp: opt({
    kind: 'list',
    env: 'PARLEY_JANUS_PUBLIC_IP',
    default: [],
    help: 'public address(es) of a host behind 1:1 NAT, as on most clouds (nat_1_1_mapping)',
  }),
  janusStunServer: opt({
    kind: 'string',
    env: 'PARLEY_JANUS_STUN_SERVER',
    default: undefined,
    help: 'host:port of a STUN server Janus asks for its public address (behind NAT, without --janus-public-ip)',
  }),
  janusIceInterfaces: opt({
    kind: 'list',
    env: 'PARLEY_JANUS_ICE_INTERFACES',
    default: [],
    help: 'interfaces or address prefixes Janus gathers candidates on (ice_enforce_list), e.g. eth0; default: all',
  }),
  janusIceTcp: opt({
    kind: 'bool',
    env: 'PARLEY_JANUS_ICE_TCP',
    default: false,
    help: 'also offer ICE-TCP candidates; Janus supports them only in ICE Lite mode, which this turns on',
  }),
  janusApiAcl: opt({
    kind: 'list',
    env: 'PARLEY_JANUS_API_ACL',
    default: [],
    help: 'address prefixes allowed to open the Janus API socket (ws_acl), e.g. 10.0.0.11,10.0.0.12; default: "127." on loopback',
  }),
  janusSessionTimeout: opt({
    kind: 'int',
    env: 'PARLEY_JANUS_SESSION_TIMEOUT',
    default: 60,
    min: 1,
    help: 'seconds Janus keeps a session that sends nothing (Parley sends a keepalive every 25 s)',
  }),
} as const;

/** Everything the three files are made from. */
export interface JanusConfigInput {
  apiSecret: string;
  adminKey: string;
  /** Guards the admin API, which every transport keeps off. */
  adminSecret: string;
  /** Address and port of the WebSocket API (from `--sfu-url`). */
  wsIp: string;
  wsPort: number;
  /** ws_acl prefixes; empty: no ACL line. */
  apiAcl: readonly string[];
  configDir: string;
  libDir: string;
  /** "min-max" */
  rtpPorts: string;
  publicIps: readonly string[];
  stunServer: { host: string; port: number } | undefined;
  iceInterfaces: readonly string[];
  iceTcp: boolean;
  sessionTimeout: number;
  stringIds: boolean;
}

export interface JanusConfigFile {
  name: string;
  text: string;
  /** Holds a secret: written with mode 0600. */
  secret: boolean;
}

/** Plugins and transports of Debian's janus 1.1 package that Parley does not use. */
const UNUSED_PLUGINS = [
  'audiobridge',
  'duktape',
  'echotest',
  'lua',
  'nosip',
  'recordplay',
  'sip',
  'streaming',
  'textroom',
  'videocall',
  'voicemail',
].map((p) => `libjanus_${p}.so`);
const UNUSED_TRANSPORTS = ['http', 'mqtt', 'nanomsg', 'pfunix', 'rabbitmq'].map(
  (t) => `libjanus_${t}.so`,
);

/** A libconfig string; the values are checked to need no escaping. */
function str(value: string): string {
  return `"${value}"`;
}

/** Build the three files. */
export function buildJanusConfig(input: JanusConfigInput): JanusConfigFile[] {
  const core = [
    '# Janus core configuration for Parley, generated by `parley janus-config`.',
    '# Parley is the only client of the Janus API: browsers reach Janus for media only.',
    'general: {',
    `\tconfigs_folder = ${str(input.configDir)}`,
    `\tplugins_folder = ${str(`${input.libDir}/plugins`)}`,
    `\ttransports_folder = ${str(`${input.libDir}/transports`)}`,
    `\tevents_folder = ${str(`${input.libDir}/events`)}`,
    `\tloggers_folder = ${str(`${input.libDir}/loggers`)}`,
    '\tdebug_level = 4',
    '\tdebug_colors = false',
    '\tserver_name = "parley-janus"',
    '\t# Every Janus API request must carry this secret (PARLEY_SFU_API_SECRET).',
    `\tapi_secret = ${str(input.apiSecret)}`,
    '\ttoken_auth = false',
    '\t# The admin API is off on every transport; this secret guards it if one is turned on.',
    `\tadmin_secret = ${str(input.adminSecret)}`,
    '\t# Parley sends a keepalive every 25 s; a session silent for this long is freed.',
    `\tsession_timeout = ${input.sessionTimeout}`,
    '\t# Sessions end with the WebSocket that made them: Parley makes new ones.',
    '\treclaim_session_timeout = 0',
    '\t# `info` answers without the secret: do not tell it library versions.',
    '\thide_dependencies = true',
    '\tprotected_folders = [ "/bin", "/boot", "/dev", "/etc", "/initrd", "/lib", "/lib32", "/lib64", "/proc", "/sbin", "/sys", "/usr", "/var" ]',
    '}',
    '',
    'media: {',
    '\t# Media ports: open this UDP range in the firewall, and nothing else of Janus.',
    `\trtp_port_range = ${str(input.rtpPorts)}`,
    '\t# slowlink events for Parley when a stream loses this many packets per second.',
    '\tslowlink_threshold = 4',
    '}',
    '',
    'nat: {',
    '\tnice_debug = false',
    '\tfull_trickle = false',
    ...(input.iceTcp
      ? [
          '\t# ICE-TCP works only with ICE Lite in Janus (the browser then drives connectivity checks).',
          '\tice_lite = true',
          '\tice_tcp = true',
        ]
      : ['\tice_lite = false', '\tice_tcp = false']),
    ...(input.publicIps.length > 0
      ? [
          '\t# 1:1 NAT: host candidates carry the public address.',
          `\tnat_1_1_mapping = ${str(input.publicIps.join(','))}`,
        ]
      : ['\t# Behind 1:1 NAT (most clouds): parley janus-config --janus-public-ip <address>']),
    ...(input.stunServer
      ? [`\tstun_server = ${str(input.stunServer.host)}`, `\tstun_port = ${input.stunServer.port}`]
      : []),
    ...(input.iceInterfaces.length > 0
      ? [`\tice_enforce_list = ${str(input.iceInterfaces.join(','))}`]
      : []),
    '\tice_ignore_list = "vmnet"',
    '}',
    '',
    '# Only the videoroom plugin and the WebSocket transport are loaded.',
    'plugins: {',
    `\tdisable = ${str(UNUSED_PLUGINS.join(','))}`,
    '}',
    'transports: {',
    `\tdisable = ${str(UNUSED_TRANSPORTS.join(','))}`,
    '}',
    'loggers: {',
    '\tdisable = "libjanus_jsonlog.so"',
    '}',
    'events: {',
    '\tbroadcast = false',
    '}',
    '',
  ];
  const acl =
    input.apiAcl.length > 0
      ? [`\tws_acl = ${str(input.apiAcl.join(','))}`]
      : ['\t# Allow only the Parley nodes: ws_acl = "10.0.0.11,10.0.0.12" (--janus-api-acl)'];
  const websockets = [
    '# Janus WebSocket transport for Parley, generated by `parley janus-config`.',
    '# The Janus API for Parley alone: loopback or a private address, never the internet.',
    'general: {',
    '\tevents = false',
    '\tjson = "compact"',
    '\t# Janus pings Parley after 30 s of silence and drops it if no pong comes in 10 s.',
    '\tpingpong_trigger = 30',
    '\tpingpong_timeout = 10',
    '\tws = true',
    `\tws_ip = ${str(input.wsIp)}`,
    `\tws_port = ${input.wsPort}`,
    ...acl,
    '\twss = false',
    '}',
    '',
    '# No admin API.',
    'admin: {',
    '\tadmin_ws = false',
    '\tadmin_wss = false',
    '}',
    '',
  ];
  const videoroom = [
    '# Janus videoroom plugin for Parley, generated by `parley janus-config`.',
    '# No rooms here: Parley creates each room when it needs one and destroys it after.',
    'general: {',
    '\t# Only holders of this key create rooms (PARLEY_SFU_ADMIN_KEY); rooms are private',
    '\t# (never listed) and have their own secret and PIN, known to Parley only.',
    `\tadmin_key = ${str(input.adminKey)}`,
    '\tlock_rtp_forward = true',
    '\t# Room and participant ids as strings (PARLEY_SFU_STRING_IDS).',
    `\tstring_ids = ${input.stringIds}`,
    '\tevents = false',
    '}',
    '',
  ];
  return [
    { name: 'janus.jcfg', text: core.join('\n'), secret: true },
    { name: 'janus.transport.websockets.jcfg', text: websockets.join('\n'), secret: false },
    { name: 'janus.plugin.videoroom.jcfg', text: videoroom.join('\n'), secret: true },
  ];
}

type JanusConfigValues = OptionValues<typeof optionSpecs & typeof janusConfigOptions>;

/** Secrets go into quoted libconfig strings: printable ASCII without quote or backslash. */
function checkSecret(value: string, flag: string): void {
  if (!/^[\x21-\x7e]+$/.test(value) || /["\\]/.test(value)) {
    throw new ConfigError(`${flag}: use printable ASCII without spaces, quotes or backslashes`);
  }
}

/** The address and port the WebSocket API listens on, from the SFU URL. */
export function apiListener(url: string): { ip: string; port: number } {
  const parsed = new URL(url);
  if (parsed.protocol !== 'ws:') {
    throw new ConfigError(
      `--sfu-url: janus-config makes a plain ws:// listener on a private address; got "${url}"`,
    );
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const ip = host === 'localhost' ? '127.0.0.1' : host;
  if (isIP(ip) === 0 || !isPrivateAddress(ip)) {
    throw new ConfigError(
      `--sfu-url: janus-config binds the API to the address in the URL, so it must be a ` +
        `loopback or private IP address, got "${parsed.hostname}"`,
    );
  }
  return { ip, port: parsed.port ? Number(parsed.port) : 80 };
}

function parsePortRange(range: string): string {
  const m = /^(\d+)-(\d+)$/.exec(range.trim());
  const [min, max] = [Number(m?.[1]), Number(m?.[2])];
  if (!m || min < 1024 || max > 65535 || min >= max) {
    throw new ConfigError(
      `--janus-rtp-ports: expected a range like 20000-40000 within 1024-65535, got "${range}"`,
    );
  }
  return `${min}-${max}`;
}

function parseStun(value: string | undefined): { host: string; port: number } | undefined {
  if (value === undefined) {
    return undefined;
  }
  const m = /^(\[[^\]]+\]|[^:\s]+)(?::(\d+))?$/.exec(value.replace(/^stun:/, ''));
  if (!m) {
    throw new ConfigError(`--janus-stun-server: expected host:port, got "${value}"`);
  }
  return { host: (m[1] as string).replace(/^\[|\]$/g, ''), port: m[2] ? Number(m[2]) : 3478 };
}

/** Read the options of `janus-config` (its own and the server's `--sfu-*`). */
export function readJanusConfigOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): JanusConfigValues {
  const values = readOptions({ ...optionSpecs, ...janusConfigOptions }, argv, env);
  validateConfig(values);
  return values;
}

/**
 * The input for `buildJanusConfig` from the options, with a new random API secret and
 * admin key where none was given (`generated` names them).
 */
export function janusConfigInput(values: JanusConfigValues): {
  input: JanusConfigInput;
  generated: { apiSecret?: string; adminKey?: string };
} {
  const generated: { apiSecret?: string; adminKey?: string } = {};
  const apiSecret = values.sfuApiSecret ?? (generated.apiSecret = randomBytes(32).toString('hex'));
  const adminKey = values.sfuAdminKey ?? (generated.adminKey = randomBytes(32).toString('hex'));
  checkSecret(apiSecret, '--sfu-api-secret');
  checkSecret(adminKey, '--sfu-admin-key');
  const listener = apiListener(values.sfuUrl ?? DEFAULT_SFU_URL);
  for (const ip of values.janusPublicIp) {
    if (isIP(ip) === 0) {
      throw new ConfigError(`--janus-public-ip: "${ip}" is not an IP address`);
    }
  }
  const loopback = listener.ip.startsWith('127.') || listener.ip === '::1';
  const input: JanusConfigInput = {
    apiSecret,
    adminKey,
    adminSecret: randomBytes(32).toString('hex'),
    wsIp: listener.ip,
    wsPort: listener.port,
    apiAcl:
      values.janusApiAcl.length > 0
        ? values.janusApiAcl
        : loopback
          ? [listener.ip === '::1' ? '::1' : '127.']
          : [],
    configDir: values.janusConfigDir ?? (values.out ? resolve(values.out) : '/etc/janus'),
    libDir: values.janusLibDir ?? DEBIAN_LIB_DIR,
    rtpPorts: parsePortRange(values.janusRtpPorts ?? '20000-40000'),
    publicIps: values.janusPublicIp,
    stunServer: parseStun(values.janusStunServer),
    iceInterfaces: values.janusIceInterfaces,
    iceTcp: values.janusIceTcp,
    sessionTimeout: values.janusSessionTimeout,
    stringIds: values.sfuStringIds,
  };
  for (const value of [input.configDir, input.libDir, ...input.iceInterfaces, ...input.apiAcl]) {
    if (/["\\\n]/.test(value)) {
      throw new ConfigError(`janus-config: "${value}" may not hold quotes or backslashes`);
    }
  }
  return { input, generated };
}

/** `parley janus-config --help`. */
export function janusConfigHelp(): string {
  const sfu = Object.fromEntries(
    Object.entries(optionSpecs).filter(([name]) => name.startsWith('sfu')),
  );
  return [
    'Usage: parley janus-config [options]',
    '',
    'Prints a hardened Janus configuration for Parley (janus.jcfg, janus.transport.websockets.jcfg,',
    'janus.plugin.videoroom.jcfg), each under a "# ==> name <==" line, or writes the files with --out.',
    "Missing secrets are made up and printed on stderr, for Parley's own configuration.",
    '',
    ...describeOptions(janusConfigOptions),
    '',
    'Shared with the server (the API listens on the address and port of --sfu-url,',
    `default ${DEFAULT_SFU_URL}):`,
    ...describeOptions(sfu),
    '',
    '  --help                           show this text',
  ].join('\n');
}

/**
 * `parley janus-config [options]`: the files on stdout (or in `--out`), advice on
 * stderr. Takes the same flags and PARLEY_* variables as the server for the SFU, so the
 * two cannot disagree.
 */
export function janusConfigCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (s: string) => void,
  err: (s: string) => void,
): void {
  if (argv.includes('--help') || argv.includes('-h')) {
    out(janusConfigHelp() + '\n');
    return;
  }
  const values = readJanusConfigOptions(argv, env);
  const { input, generated } = janusConfigInput(values);
  const files = buildJanusConfig(input);
  if (values.out) {
    const dir = resolve(values.out);
    mkdirSync(dir, { recursive: true, mode: 0o750 });
    for (const file of files) {
      const path = join(dir, file.name);
      writeFileSync(path, file.text, { mode: file.secret ? 0o600 : 0o644 });
      // writeFileSync keeps the mode of a file that was there already.
      chmodSync(path, file.secret ? 0o600 : 0o644);
    }
    err(
      `parley janus-config: wrote ${files.map((f) => f.name).join(', ')} to ${dir}.\n` +
        `Start Janus with: janus -F ${input.configDir}\n`,
    );
  } else {
    out(files.map((f) => `# ==> ${f.name} <==\n${f.text}`).join('\n'));
  }
  const advice: string[] = [];
  if (generated.apiSecret) {
    advice.push(`PARLEY_SFU_API_SECRET=${generated.apiSecret}`);
  }
  if (generated.adminKey) {
    advice.push(`PARLEY_SFU_ADMIN_KEY=${generated.adminKey}`);
  }
  if (!values.sfuUrl) {
    advice.push(`PARLEY_SFU_URL=${DEFAULT_SFU_URL}`);
  }
  if (advice.length > 0) {
    err(
      'parley janus-config: start Parley with the same settings as these files:\n' +
        advice.map((a) => `  ${a}\n`).join(''),
    );
  }
  if (input.apiAcl.length === 0) {
    err(
      `parley janus-config: the API listens on ${input.wsIp}, a private address: give the Parley ` +
        'nodes with --janus-api-acl, and keep the port closed to everything else.\n',
    );
  }
  if (input.sessionTimeout < 30) {
    err(
      `parley janus-config: a session timeout of ${input.sessionTimeout} s is shorter than ` +
        "Parley's 25 s keepalive plus slack: sessions will time out.\n",
    );
  }
}
