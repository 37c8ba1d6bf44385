/**
 * Participants with real media but no browser, as load for the browser benches
 * (e2e/fixtures/wrtc-seats-child.mjs: the built SDK on @roamhq/wrtc, all in one Node
 * process, each sending a small moving picture and a tone; written for an e2e test of
 * eight that is not in CI, docs/SFU.md). `pid` is the child's, for its CPU.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = new URL('../../e2e/fixtures/wrtc-seats-child.mjs', import.meta.url).pathname;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Start `names` in `room` (they join one after the other); resolves once all have joined. */
export async function startWrtcSeats({ wsUrl, room, names, width = 160, height = 120, fps = 15 }) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-wrtc-'));
  const statusFile = join(dir, 'status.json');
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({ wsUrl, room, names, width, height, fps, audio: true, statusFile }),
  );
  let output = '';
  const child = spawn(process.execPath, [SCRIPT, configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PARLEY_LOG_LEVEL: 'error' },
  });
  const keep = (d) => (output = (output + d.toString()).slice(-3000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let running = true;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  void exited.then(() => (running = false));
  const status = () =>
    existsSync(statusFile) ? JSON.parse(readFileSync(statusFile, 'utf8')).seats : [];
  const stop = async () => {
    if (running) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    const now = status();
    if (now.length === names.length && now.every((s) => s.state === 'joined')) {
      return { pid: child.pid, status, stop };
    }
    if (!running || Date.now() > deadline) {
      await stop();
      throw new Error(`wrtc participants did not all join: ${JSON.stringify(now)} ${output}`);
    }
    await sleep(100);
  }
}
