import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/** Contact relations, one row per direction (a block is private to its owner). */
export function contacts(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('contacts')
        .ifNotExists()
        .addColumn('owner_id', 'text', (col) =>
          col.notNull().references('accounts.id').onDelete('cascade'),
        )
        .addColumn('other_id', 'text', (col) =>
          col.notNull().references('accounts.id').onDelete('cascade'),
        )
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('since', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('contacts_pk', ['owner_id', 'other_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('contacts').ifExists().execute();
    },
  };
}
