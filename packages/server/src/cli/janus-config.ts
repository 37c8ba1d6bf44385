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
  applySfuDefaults,
  validateConfig,
  type OptionValues,
} from '../config.js';
import {
  buildJanusConfig,
  type JanusConfigFile,
  type JanusConfigInput,
} from './janus-config-files.js';

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

export { buildJanusConfig, type JanusConfigFile, type JanusConfigInput };

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
  const given = new Set<string>();
  const values = readOptions({ ...optionSpecs, ...janusConfigOptions }, argv, env, given);
  applySfuDefaults(values, given);
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
