import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * Browsers that signed in to an account before (a device cookie, stored as its hash):
 * their sign-ins are not held back by failures a stranger causes (OWASP's device cookies).
 */
export function knownDevices(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('known_devices')
        .ifNotExists()
        .addColumn('token_hash', 'text', (col) => col.primaryKey())
        .addColumn('user_id', 'text', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('last_used_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('known_devices_user')
        .ifNotExists()
        .on('known_devices')
        .columns(['user_id', 'last_used_at'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('known_devices').ifExists().execute();
    },
  };
}
