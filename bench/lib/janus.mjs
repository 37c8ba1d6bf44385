/**
 * A real Janus (Debian's `janus`) for the benches, configured as the e2e tests configure
 * theirs (e2e/fixtures/janus.ts, packages/server/test/support/janus.ts): the files come
 * from `parley janus-config` itself (the built CLI code), the WebSocket API on a free
 * loopback port, 100 RTP ports of its own, its log in the temp folder, stopped afterwards.
 * That fixture is TypeScript and the benches are plain Node, hence this small twin.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

export const JANUS = process.env.PARLEY_JANUS ?? '/usr/bin/janus';
const LIB_DIR =
  process.env.PARLEY_JANUS_LIB_DIR ??
  `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/janus`;
const configModule = new URL('../../packages/server/dist/cli/janus-config.js', import.meta.url);

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** True once the API takes a WebSocket with Janus's subprotocol. */
function answers(url) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, 'janus-protocol');
    const done = (ok) => {
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      resolve(ok);
    };
    ws.once('open', () => done(true));
    ws.once('error', () => done(false));
  });
}

/**
 * Start Janus; resolves once its API answers.
 * @returns {Promise<{url: string, apiSecret: string, adminKey: string, pid: number, log(): string, stop(): Promise<void>}>}
 */
export async function startJanus() {
  if (!existsSync(JANUS)) {
    throw new Error(`janus not found at ${JANUS} (apt-get install janus; .ci/run does)`);
  }
  const { janusConfigCommand } = await import(configModule.href);
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-janus-'));
  const port = await freePort();
  const url = `ws://127.0.0.1:${port}`;
  // 100 ports in 30000-39999, like the test Janus (away from the test coturns at 40000+).
  const rtpMin = 30000 + Math.floor(Math.random() * 100) * 100;
  const apiSecret = randomBytes(16).toString('hex');
  const adminKey = randomBytes(16).toString('hex');
  janusConfigCommand(
    [
      '--out',
      dir,
      '--sfu-url',
      url,
      '--sfu-api-secret',
      apiSecret,
      '--sfu-admin-key',
      adminKey,
      '--janus-rtp-ports',
      `${rtpMin}-${rtpMin + 99}`,
      '--janus-lib-dir',
      LIB_DIR,
    ],
    {},
    () => {},
    () => {},
  );
  const logFile = join(dir, 'janus.log');
  const fd = openSync(logFile, 'a');
  const child = spawn(JANUS, ['--configs-folder', dir, '--disable-colors', '--log-stdout'], {
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '');
  const stop = () =>
    new Promise((resolve) => {
      const cleanup = () => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) {
        cleanup();
        return;
      }
      child.once('exit', cleanup);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  // Never leave a Janus behind holding its ports, whatever way the bench ends.
  process.once('exit', () => child.kill('SIGKILL'));
  const deadline = Date.now() + 20_000;
  while (!(await answers(url))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const why = child.exitCode !== null ? `exited with ${child.exitCode}` : 'did not answer';
      await stop();
      throw new Error(`janus ${why} on ${url}:\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, apiSecret, adminKey, pid: child.pid, log, stop };
}

/** Resolves once the Parley server at `base` has its Janus connection (/readyz, not degraded). */
export async function parleyReachesJanus(base, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await fetch(`${base}/readyz`).then(
      (res) => res.json(),
      () => null,
    );
    if (ready && !(ready.degraded ?? []).includes('sfu')) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`Parley at ${base} did not reach Janus: ${JSON.stringify(ready)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
