import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { DialectName } from './dialect.js';
import { migrations } from './migrations/index.js';

/** Serves the migrations compiled into the server (no directory scan at run time). */
class InCodeMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: DialectName) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, make] of Object.entries(migrations)) {
      out[name] = make(this.dialect);
    }
    return out;
  }
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** SQLite reports a lost race between two processes as "busy" or "already exists". */
function isRace(err: unknown): boolean {
  const text =
    err instanceof Error ? `${(err as { code?: string }).code ?? ''} ${err.message}` : '';
  return /SQLITE_BUSY|already exists/i.test(text);
}

/**
 * Apply every migration not applied yet. Running it twice is a no-op; PostgreSQL
 * serialises concurrent runs with Kysely's advisory lock, and for SQLite (two
 * processes on one file) a lost race is retried after the winner finishes.
 * Returns the names applied by this call.
 */
export async function migrateToLatest(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the schema they create exists
  db: Kysely<any>,
  dialect: DialectName,
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new InCodeMigrationProvider(dialect),
    migrationTableName: 'parley_migration',
    migrationLockTableName: 'parley_migration_lock',
    // Features own number ranges (chat 00xx, accounts and calls 01xx), so a new chat
    // migration can arrive after accounts' have run; each migration stands on its own.
    allowUnorderedMigrations: true,
  });
  for (let attempt = 0; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) {
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    }
    if (attempt < 3 && dialect === 'sqlite' && isRace(error)) {
      await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
      continue;
    }
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new MigrationError(
      `database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
