import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/** Accounts and their server-side sign-in sessions. */
export function accounts(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('accounts')
        .ifNotExists()
        .addColumn('id', 'text', (col) => col.primaryKey())
        // Stored lower-case: the unique index makes usernames unique case-insensitively.
        .addColumn('username', 'text', (col) => col.notNull().unique())
        .addColumn('password_hash', 'text', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema
        .createTable('auth_sessions')
        .ifNotExists()
        .addColumn('token_hash', 'text', (col) => col.primaryKey())
        .addColumn('user_id', 'text', (col) =>
          col.notNull().references('accounts.id').onDelete('cascade'),
        )
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('expires_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('auth_sessions_user')
        .ifNotExists()
        .on('auth_sessions')
        .column('user_id')
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('auth_sessions').ifExists().execute();
      await db.schema.dropTable('accounts').ifExists().execute();
    },
  };
}
