import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { DialectName } from './dialect.js';
import type { Tables } from './schema.js';
import { migrateToLatest } from './migrate.js';

/** The typed query layer over either back end. Features take this, never a driver. */
export type Database = Kysely<Tables>;

/** An open database: the query layer, which back end it is, and how to close it. */
export interface Store {
  readonly db: Database;
  readonly dialect: DialectName;
  /** Where the data lives, for logs: a file path or the URL without its password. */
  readonly location: string;
  /** Close connections (idempotent). */
  close(): Promise<void>;
}

export interface StoreOptions {
  /**
   * Directory for the embedded SQLite file `parley.db`. `:memory:` keeps everything
   * in memory (lost on exit; for tests and throwaway demos).
   */
  dataDir: string;
  /** postgres://… — when set, PostgreSQL is used and dataDir is ignored. */
  databaseUrl?: string | undefined;
  /** Run migrations before returning (default true). */
  migrate?: boolean;
}

/** The SQLite file inside a data directory. */
export const SQLITE_FILE = 'parley.db';

/** Hide the password of a connection URL before it reaches a log line. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) {
      u.password = '***';
    }
    return u.toString();
  } catch {
    return 'postgres://(unparsable url)';
  }
}

function openSqlite(dataDir: string): { db: Database; location: string } {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    file = resolve(join(dataDir, SQLITE_FILE));
  }
  const sqlite = new BetterSqlite3(file);
  // WAL: readers never block the writer, and a crash loses at most the last commit.
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode (only an OS crash can lose
  // the very last transactions), at a fraction of FULL's fsync cost.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return {
    db: new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) }),
    location: file,
  };
}

async function openPostgres(url: string): Promise<{ db: Database; location: string }> {
  // Loaded only when PostgreSQL is configured: `pg` costs ~40 ms of start-up on every SQLite start.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client that loses its server must not crash the process; queries report errors.
  pool.on('error', () => {});
  return {
    db: new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) }),
    location: redactUrl(url),
  };
}

/**
 * Open the configured database and bring its schema up to date. SQLite under
 * `dataDir` by default; PostgreSQL when `databaseUrl` is set.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  const dialect: DialectName = options.databaseUrl ? 'postgres' : 'sqlite';
  const { db, location } =
    dialect === 'postgres'
      ? await openPostgres(options.databaseUrl as string)
      : openSqlite(options.dataDir);
  let closing: Promise<void> | null = null;
  const store: Store = {
    db,
    dialect,
    location,
    close() {
      closing ??= db.destroy();
      return closing;
    },
  };
  if (options.migrate !== false) {
    try {
      await migrateToLatest(db, dialect);
    } catch (err) {
      await store.close();
      throw err;
    }
  }
  return store;
}
