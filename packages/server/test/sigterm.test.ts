import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode, PROTOCOL_VERSION, type ServerMessage } from '@parley/protocol';

/** The built CLI: `node scripts/build.mjs` runs before the tests (npm test does). */
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

const children: ChildProcess[] = [];
beforeAll(() => {
  if (!existsSync(MAIN)) {
    throw new Error(`${MAIN} is missing: run "node scripts/build.mjs" first`);
  }
});
afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  }
});

interface Node {
  child: ChildProcess;
  url: string;
  /** Everything printed so far. */
  output: () => string;
  exited: Promise<number | null>;
}

async function startNode(extra: string[] = []): Promise<Node> {
  const child = spawn(
    process.execPath,
    [
      MAIN,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data-dir',
      ':memory:',
      '--web-dir',
      'none',
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start line in: ${out}`)), 15_000);
    const look = (): void => {
      const m = /is running: open (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    };
    child.stdout?.on('data', look);
    child.on('exit', () => reject(new Error(`exited before starting: ${out}`)));
  });
  return { child, url, output: () => out, exited };
}

/** A greeted socket that records what it receives. */
async function greeted(url: string): Promise<{ ws: WebSocket; received: ServerMessage[] }> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
  const received: ServerMessage[] = [];
  ws.on('message', (d) => received.push(JSON.parse(String(d)) as ServerMessage));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION }));
  await until(() => received.some((m) => m.type === 'welcome'));
  return { ws, received };
}

async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('SIGTERM drains: clients are told to move, /readyz fails, and the process exits 0 once they left', async () => {
  const node = await startNode([
    '--drain-timeout-ms',
    '20000',
    '--log-level',
    'info',
    '--node-id',
    'sig-node',
  ]);
  const { ws, received } = await greeted(node.url);
  const signalled = Date.now();
  node.child.kill('SIGTERM');
  await until(() => received.some((m) => m.type === 'server-draining'));
  const ready = await fetch(`${node.url}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toEqual({ ready: false, failing: ['draining'] });

  ws.close(CloseCode.Moving, 'moving');
  expect(await node.exited).toBe(0);
  // Long before the 20 s drain timeout: the last client leaving ended the wait.
  expect(Date.now() - signalled).toBeLessThan(10_000);
  // Structured logs name the node on every line.
  const lines = node
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { node?: string; msg?: string });
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.every((l) => l.node === 'sig-node')).toBe(true);
  expect(lines.some((l) => l.msg?.includes('draining'))).toBe(true);
});

it('a second signal exits at once, without waiting for the drain', async () => {
  const node = await startNode(['--drain-timeout-ms', '60000']);
  const { received } = await greeted(node.url);
  node.child.kill('SIGINT');
  await until(() => received.some((m) => m.type === 'server-draining'));
  const again = Date.now();
  node.child.kill('SIGTERM');
  expect(await node.exited).toBe(1);
  expect(Date.now() - again).toBeLessThan(5000);
});
