import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/** Direct messages, unique per (sender, client id) for idempotent resends, and read marks. */
export function directMessages(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('direct_messages')
        .ifNotExists()
        .addColumn('id', 'integer', (col) =>
          dialect === 'sqlite'
            ? col.primaryKey().autoIncrement()
            : col.primaryKey().generatedByDefaultAsIdentity(),
        )
        .addColumn('from_id', 'text', (col) => col.notNull())
        .addColumn('to_id', 'text', (col) => col.notNull())
        .addColumn('client_id', 'text', (col) => col.notNull())
        .addColumn('text', 'text', (col) => col.notNull())
        .addColumn('sent_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('direct_messages_client')
        .ifNotExists()
        .unique()
        .on('direct_messages')
        .columns(['from_id', 'client_id'])
        .execute();
      await db.schema
        .createIndex('direct_messages_pair')
        .ifNotExists()
        .on('direct_messages')
        .columns(['from_id', 'to_id', 'id'])
        .execute();
      await db.schema
        .createTable('dm_reads')
        .ifNotExists()
        .addColumn('reader_id', 'text', (col) => col.notNull())
        .addColumn('other_id', 'text', (col) => col.notNull())
        .addColumn('last_read_id', 'integer', (col) => col.notNull())
        .addPrimaryKeyConstraint('dm_reads_pk', ['reader_id', 'other_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('dm_reads').ifExists().execute();
      await db.schema.dropTable('direct_messages').ifExists().execute();
    },
  };
}
