#!/usr/bin/env node
/**
 * The `parley` command. Parses flags and PARLEY_* variables, starts the server, and
 * drains it on SIGINT/SIGTERM (clients move to another node) before exiting.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, helpText, loadConfig } from './config.js';
import { createServer } from './app.js';
import { turnConfigCommand } from './cli/turn-config.js';
import { janusConfigCommand } from './cli/janus-config.js';
import { reportsCommand } from './cli/reports.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'janus-config') {
    // Before --help: `parley janus-config --help` describes the command's own options.
    janusConfigCommand(
      argv.slice(1),
      process.env,
      (s) => process.stdout.write(s),
      (s) => process.stderr.write(s),
    );
    return 0;
  }
  if (argv[0] === 'reports') {
    // Before --help: `parley reports --help` describes the command's own options.
    return reportsCommand(
      argv.slice(1),
      process.env,
      (s) => process.stdout.write(s),
      (s) => process.stderr.write(s),
    );
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(helpText() + '\n');
    return 0;
  }
  if (argv.includes('--version')) {
    process.stdout.write(version() + '\n');
    return 0;
  }
  if (argv[0] === 'turn-config') {
    const write = (s: string): boolean => process.stdout.write(s.endsWith('\n') ? s : s + '\n');
    turnConfigCommand(argv.slice(1), process.env, write, (s) => process.stderr.write(s));
    return 0;
  }
  const config = loadConfig(argv, process.env);
  const server = await createServer(config, { processMetrics: true });
  await server.listen();
  process.stdout.write(`Parley ${version()} is running: open ${server.url}\n`);
  process.stdout.write(`Data: ${server.store.dialect} at ${server.store.location}\n`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      // A second signal: the operator does not want to wait for the drain.
      process.stdout.write(`${signal} again: exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(
      `\n${signal}: draining (up to ${config.drainTimeoutMs} ms; send it again to exit now)…\n`,
    );
    server.drain(config.drainTimeoutMs).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) {
      process.exit(code);
    }
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`parley: ${err.message}\n`);
      process.exit(2);
    }
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') {
      process.stderr.write(
        `parley: the port is already in use; choose another with --port or PARLEY_PORT\n`,
      );
      process.exit(1);
    }
    if (e.code === 'ENOENT' && e.path) {
      process.stderr.write(`parley: cannot read ${e.path}\n`);
      process.exit(1);
    }
    process.stderr.write(`parley: ${e.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
