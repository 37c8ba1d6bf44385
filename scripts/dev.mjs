#!/usr/bin/env node
// `npm run dev`: the Parley server (signaling, API) plus the Vite dev server with hot
// reload, which proxies /ws and /api to it. Open http://localhost:5173.
import { spawn, spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const port = process.env.PARLEY_PORT ?? '3000';

// Protocol, client and server are TypeScript compiled by tsc; watch them.
const built = spawnSync('npx', ['--no-install', 'tsc', '-b'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) {
  process.exit(built.status ?? 1);
}
const children = [
  spawn('npx', ['--no-install', 'tsc', '-b', '--watch', '--preserveWatchOutput'], {
    cwd: root,
    stdio: 'ignore',
  }),
  spawn('node', ['--watch', 'packages/server/dist/main.js', '--port', port, '--web-dir', 'none'], {
    cwd: root,
    stdio: 'inherit',
  }),
  spawn('npx', ['--no-install', 'vite', 'packages/web'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PARLEY_PORT: port },
  }),
];
const stop = () => {
  for (const c of children) {
    c.kill('SIGTERM');
  }
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const c of children) {
  c.on('exit', (code) => {
    if (code && code !== 0) {
      process.stderr.write(`dev: a process exited with ${code}; stopping\n`);
      stop();
    }
  });
}
