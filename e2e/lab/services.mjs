/**
 * What runs inside the lab: the Parley server and coturn in the public namespace, and
 * one Chromium per peer in that peer's namespace. Each is a real process started with
 * `ip netns exec`; the test process stays in the root namespace and talks to Chromium
 * over Playwright's pipe (a pipe crosses namespaces, a TCP port would not).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { PUBLIC_IP, PUBLIC_NS } from './topology.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROBE = fileURLToPath(new URL('./ns-probe.mjs', import.meta.url));
const IMPAIRMENT_RELAY = fileURLToPath(new URL('./impairment-relay.mjs', import.meta.url));
const chromiumSettings = JSON.parse(
  readFileSync(new URL('../chromium.json', import.meta.url), 'utf8'),
);
export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? chromiumSettings.executable;
export const TURNSERVER = process.env.PARLEY_TURNSERVER ?? '/usr/bin/turnserver';
/** The lab's fixed ports on PUBLIC_IP (the namespace is ours alone, so nothing collides). */
export const SERVER_PORT = 8080;
export const TURN_PORT = 3478;
/** coturn's TLS port (TURNS), open only in scenarios that hand out a `turns:` URL. */
export const TURNS_PORT = 5349;
/** Where the impairment relay (delay, loss) listens, in front of coturn. */
export const IMPAIRED_TURN_PORT = 3479;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Does `probe` (ns-probe.mjs arguments) answer from inside `ns`? */
function probeFrom(ns, args) {
  return new Promise((resolve) => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, PROBE, ...args], {
      stdio: 'ignore',
    });
    child.once('exit', (code) => resolve(code === 0));
  });
}

/**
 * A long-running process inside `ns`, its output in `logFile`. Resolves once `ready()`
 * says yes; rejects (after stopping it) when it exits first or `timeoutMs` passes.
 */
async function startInNamespace(ns, command, args, logFile, ready, timeoutMs, env) {
  const out = openSync(logFile, 'a');
  const child = spawn('ip', ['netns', 'exec', ns, command, ...args], {
    cwd: ROOT,
    stdio: ['ignore', out, out],
    env: env ?? process.env,
  });
  let exited = false;
  const exit = new Promise((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (exited) {
      return;
    }
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exit;
    clearTimeout(killer);
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    const log = () => readFileSync(logFile, 'utf8').slice(-2000);
    if (exited) {
      throw new Error(`${command} exited at start in ${ns}:\n${log()}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${command} did not answer in ${ns} within ${timeoutMs} ms:\n${log()}`);
    }
    await sleep(100);
  }
  return stop;
}

/**
 * A self-signed certificate for coturn's TLS port, made fresh for each lab (nothing to
 * keep or expire): an EC key, the lab's public address as its subject alternative name.
 * Browsers do not check a TURN server's certificate against a CA (docs/CONNECTIVITY.md).
 * @returns {{ cert: string, pkey: string }}
 */
function selfSignedCertificate(dir) {
  const cert = join(dir, 'turns-cert.pem');
  const pkey = join(dir, 'turns-key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=parley-lab',
      '-addext',
      `subjectAltName=IP:${PUBLIC_IP}`,
      '-keyout',
      pkey,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { cert, pkey };
}

/**
 * @typedef {object} LabServices
 * @property {string} url        the app's address on the lab network
 * @property {string} dir        temp directory with the logs
 * @property {(name: string) => string} log   a log file's text ('parley' or 'coturn')
 * @property {() => Promise<void>} dispose    stop both, remove the temp directory
 */

/**
 * Start coturn and the Parley server in the public namespace. The server hands out
 * `iceServers` as configured here: STUN on coturn, TURN over UDP and TCP with minted
 * credentials (a scenario may restrict them with `turnTransports`). With 'tls' among
 * them, coturn also listens for TURNS on TURNS_PORT with a self-signed certificate, and
 * the server hands out `turns:PUBLIC_IP:5349?transport=tcp` for it.
 *
 * With `impairment`, a user-space relay (impairment-relay.mjs) sits in front of coturn
 * and the server hands out only TURN over UDP through it, relay-only: every media packet
 * crosses it twice (sender → coturn, coturn → receiver), so the delay per crossing is
 * a quarter of the round trip and the loss per crossing p' with 1 - (1 - p')² = p.
 * @param {{ stun?: boolean, turnTransports?: Array<'udp' | 'tcp' | 'tls'>, relayOnly?: boolean,
 *   impairment?: { rttMs: number, loss: number } }} options
 * @returns {Promise<LabServices>}
 */
export async function startServices(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-lab-'));
  const secret = randomBytes(16).toString('hex');
  const stops = [];
  const dispose = async () => {
    for (const stop of stops.splice(0).reverse()) {
      await stop();
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const tls = options.turnTransports?.includes('tls') ?? false;
  try {
    const tlsArgs = [];
    if (tls) {
      const { cert, pkey } = selfSignedCertificate(dir);
      tlsArgs.push(`--cert=${cert}`, `--pkey=${pkey}`, `--tls-listening-port=${TURNS_PORT}`);
    } else {
      tlsArgs.push('--no-tls');
    }
    stops.push(
      await startInNamespace(
        PUBLIC_NS,
        TURNSERVER,
        [
          '-n',
          `--listening-ip=${PUBLIC_IP}`,
          `--relay-ip=${PUBLIC_IP}`,
          `--listening-port=${TURN_PORT}`,
          '--min-port=49152',
          '--max-port=49407',
          '--use-auth-secret',
          `--static-auth-secret=${secret}`,
          '--realm=parley-lab',
          '--fingerprint',
          ...tlsArgs,
          '--no-dtls',
          '--no-cli',
          '--no-software-attribute',
          `--log-file=${join(dir, 'coturn.log')}`,
          '--simple-log',
          ...(process.env.PARLEY_LAB_TURN_VERBOSE ? ['--verbose'] : []),
          '--no-stdout-log',
          `--userdb=${join(dir, 'turndb')}`,
          `--pidfile=${join(dir, 'turnserver.pid')}`,
        ],
        join(dir, 'coturn.out'),
        async () =>
          (await probeFrom(PUBLIC_NS, ['stun', PUBLIC_IP, String(TURN_PORT)])) &&
          (!tls || (await probeFrom(PUBLIC_NS, ['stun-tls', PUBLIC_IP, String(TURNS_PORT)]))),
        10_000,
      ),
    );
    const turnHost = PUBLIC_IP;
    let turnPort = TURN_PORT;
    let transports = options.turnTransports ?? ['udp', 'tcp'];
    const impairment = options.impairment;
    if (impairment) {
      const perCrossingLoss = 1 - Math.sqrt(1 - impairment.loss);
      stops.push(
        await startInNamespace(
          PUBLIC_NS,
          process.execPath,
          [
            IMPAIRMENT_RELAY,
            PUBLIC_IP,
            String(IMPAIRED_TURN_PORT),
            PUBLIC_IP,
            String(TURN_PORT),
            String(impairment.rttMs / 4),
            String(perCrossingLoss),
          ],
          join(dir, 'impairment-relay.log'),
          () => probeFrom(PUBLIC_NS, ['stun', PUBLIC_IP, String(IMPAIRED_TURN_PORT)]),
          10_000,
        ),
      );
      turnPort = IMPAIRED_TURN_PORT;
      transports = ['udp'];
    }
    const url = `http://${PUBLIC_IP}:${SERVER_PORT}`;
    const args = [
      'packages/server/bin/parley.js',
      '--host',
      PUBLIC_IP,
      '--port',
      String(SERVER_PORT),
      '--web-dir',
      'packages/web/dist',
      '--data-dir',
      join(dir, 'data'),
    ];
    if (options.stun !== false) {
      args.push('--stun-urls', `stun:${turnHost}:${turnPort}`);
    }
    if (transports.length > 0) {
      const urls = transports.map((t) =>
        t === 'tls'
          ? `turns:${turnHost}:${TURNS_PORT}?transport=tcp`
          : `turn:${turnHost}:${turnPort}?transport=${t}`,
      );
      args.push('--turn-urls', urls.join(','), '--turn-secret', secret);
    }
    if (options.relayOnly || impairment) {
      args.push('--ice-transport-policy', 'relay');
    }
    stops.push(
      await startInNamespace(
        PUBLIC_NS,
        process.execPath,
        args,
        join(dir, 'parley.log'),
        () => probeFrom(PUBLIC_NS, ['http', `${url}/healthz`]),
        20_000,
        { ...process.env, PARLEY_LOG_LEVEL: 'warn' },
      ),
    );
    return {
      url,
      dir,
      log: (name) => {
        try {
          return readFileSync(join(dir, name === 'coturn' ? 'coturn.log' : 'parley.log'), 'utf8');
        } catch {
          return '';
        }
      },
      dispose,
    };
  } catch (err) {
    await dispose();
    throw err;
  }
}

/**
 * A Chromium whose network is namespace `ns`: Playwright starts a wrapper that execs
 * the real browser through `ip netns exec`. The page is served over plain HTTP from a
 * lab address, so that origin is declared secure (camera and WebRTC need one).
 * @param {string} ns
 * @param {string} origin
 * @param {string[]} [extraArgs]  more Chromium flags
 */
export async function launchChromiumIn(ns, origin, extraArgs = []) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-lab-chromium-'));
  const wrapper = join(dir, 'chromium');
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} ${CHROMIUM} "$@"\n`);
  chmodSync(wrapper, 0o755);
  try {
    const browser = await chromium.launch({
      executablePath: wrapper,
      args: [
        ...chromiumSettings.args,
        `--unsafely-treat-insecure-origin-as-secure=${origin}`,
        ...extraArgs,
      ],
    });
    browser.once('disconnected', () => rmSync(dir, { recursive: true, force: true }));
    return browser;
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
