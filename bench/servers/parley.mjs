#!/usr/bin/env node
/**
 * Parley under test, from its built dist/, with the limits that would throttle a load
 * generator lifted (rate limit, connection and room caps) and logging off. Everything
 * else (validation, rooms, resume buffers, heartbeats) is the shipped code path.
 * Usage: node bench/servers/parley.mjs [web dir or "none"] [server entry] [--flag=value…]
 * The entry defaults to this checkout's packages/server/dist/index.js (bench/lib/baseline.mjs
 * builds another commit's, to run before and after side by side); `--flag=value` arguments
 * are Parley's own options (`--redis-url=…` for a cluster node), read as the CLI reads them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { announce } from './ipc.mjs';

const args = process.argv.slice(2);
const [webDir = 'none', entryPath] = args.filter((a) => !a.startsWith('--'));
const flags = args.filter((a) => a.startsWith('--'));
const entry = entryPath
  ? pathToFileURL(entryPath).href
  : new URL('../../packages/server/dist/index.js', import.meta.url).href;
const { createServer, loadConfig } = await import(entry);
const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const config = loadConfig(
  flags,
  {},
  {
    port: 0,
    host: '127.0.0.1',
    webDir,
    logLevel: 'silent',
    dataDir,
    rateLimit: 1_000_000,
    maxConnections: 1_000_000,
    // Every load client connects from 127.0.0.1: the per-address limits would stop them.
    maxConnectionsPerAddress: 1_000_000,
    connectRatePerAddress: 1_000_000,
    maxRooms: 1_000_000,
  },
);
const server = await createServer(config);
await server.listen();
announce(Number(new URL(server.url).port), {
  // What the server holds, from its own books: the gateway's sessions and sockets, the
  // room directory's rooms and seats.
  state: async () => ({
    sessions: server.gateway.sessionCount,
    connections: server.gateway.connectionCount,
    rooms: await server.shared.rooms.roomCount(),
    seats: await server.shared.rooms.seatCount(),
  }),
});
