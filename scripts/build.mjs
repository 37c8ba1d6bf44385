#!/usr/bin/env node
// Builds what is missing or stale, and nothing else: `npm start` runs this first, so a
// fresh clone builds once (about half a minute) and later starts take a second.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const quiet = process.argv.includes('--quiet');

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) {
    return t;
  }
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') {
      continue;
    }
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function run(label, cmd, args) {
  if (!quiet) {
    process.stdout.write(`build: ${label}…\n`);
  }
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`build: ${label} failed\n`);
    process.exit(r.status ?? 1);
  }
}

// TypeScript project references are incremental: a no-op build takes about a second.
run('compiling common, protocol, client and server', 'npx', ['--no-install', 'tsc', '-b']);

const webDist = join(root, 'packages/web/dist/index.html');
const webSources = Math.max(
  newest(join(root, 'packages/web/src')),
  newest(join(root, 'packages/web/public')),
  statSync(join(root, 'packages/web/index.html')).mtimeMs,
  statSync(join(root, 'packages/web/vite.config.ts')).mtimeMs,
  newest(join(root, 'packages/common/src')),
  newest(join(root, 'packages/client/src')),
  newest(join(root, 'packages/protocol/src')),
);
if (!existsSync(webDist) || statSync(webDist).mtimeMs < webSources) {
  run('building the web app', 'npx', [
    '--no-install',
    'vite',
    'build',
    '--logLevel',
    'warn',
    'packages/web',
  ]);
} else if (!quiet) {
  process.stdout.write('build: web app is up to date\n');
}
