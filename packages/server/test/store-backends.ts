/**
 * Runs one test suite against both back ends: SQLite in a temp directory and
 * PostgreSQL on 127.0.0.1:5432 (trust auth), where each run creates and drops its own
 * database. PostgreSQL missing: skipped loudly on a laptop, a failure when CI=true.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import type { DialectName, StoreOptions } from '../src/store/index.js';
import { dropPrefix, REDIS_TEST_URL, redisProblem, uniquePrefix } from './redis-env.js';

/** Admin connection; override with PARLEY_TEST_PG_URL (must allow CREATE DATABASE). */
export const PG_ADMIN_URL =
  process.env.PARLEY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function probePostgres(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

const pgProblem = await probePostgres();
if (pgProblem) {
  const reason = `PostgreSQL not reachable at ${PG_ADMIN_URL}: ${pgProblem}`;
  if (process.env.CI === 'true') {
    throw new Error(`CI: ${reason}`);
  }
  console.warn(`SKIPPED (PostgreSQL half of the store suites): ${reason}`);
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface BackendContext {
  readonly dialect: DialectName;
  /** Options that open this back end's fresh database (valid inside tests and hooks). */
  options(): StoreOptions;
}

/** A fresh, empty PostgreSQL database; returns its URL and a function that drops it. */
export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `parley_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  };
}

/** `describe` the suite once per back end. */
export function describeBackends(title: string, suite: (ctx: BackendContext) => void): void {
  describe(`${title} [sqlite]`, () => {
    let dir = '';
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'parley-store-'));
    });
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    suite({ dialect: 'sqlite', options: () => ({ dataDir: dir }) });
  });
  describe.skipIf(pgProblem !== null)(`${title} [postgres]`, () => {
    let db: { url: string; drop: () => Promise<void> } | null = null;
    beforeAll(async () => {
      db = await createPgDatabase();
    });
    afterAll(async () => {
      await db?.drop();
    });
    suite({
      dialect: 'postgres',
      options: () => ({ dataDir: 'unused', databaseUrl: (db as { url: string }).url }),
    });
  });
}

/** What a deployment adds to a store: Redis shared by several nodes. */
export interface ClusterOptions {
  redisUrl?: string;
  redisPrefix?: string;
  /** How many nodes `startServer` starts (see helpers.ts `nodeGroup`). */
  nodes?: number;
}

export interface DeploymentContext extends BackendContext {
  /** 1, or 2 for the Redis cluster. */
  readonly nodes: number;
  options(): StoreOptions & ClusterOptions;
}

/**
 * `describe` a server suite once per way Parley is deployed: one node on SQLite, one
 * node on PostgreSQL, and two nodes sharing PostgreSQL and Redis (every test's clients
 * alternate between the nodes, so everything they exchange crosses the bus).
 */
export function describeDeployments(title: string, suite: (ctx: DeploymentContext) => void): void {
  describeBackends(title, (backend) => suite({ ...backend, nodes: 1 }));
  describe.skipIf(pgProblem !== null || redisProblem !== null)(
    `${title} [postgres + redis, 2 nodes]`,
    () => {
      let db: { url: string; drop: () => Promise<void> } | null = null;
      const prefix = uniquePrefix();
      beforeAll(async () => {
        db = await createPgDatabase();
      });
      afterAll(async () => {
        await db?.drop();
        await dropPrefix(REDIS_TEST_URL, prefix);
      });
      suite({
        dialect: 'postgres',
        nodes: 2,
        options: () => ({
          dataDir: 'unused',
          databaseUrl: (db as { url: string }).url,
          redisUrl: REDIS_TEST_URL,
          redisPrefix: prefix,
          nodes: 2,
        }),
      });
    },
  );
}
