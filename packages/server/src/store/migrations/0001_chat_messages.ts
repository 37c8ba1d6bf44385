import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/** Room chat: one row per message, unique per (room, client id) for idempotent resends. */
export function chatMessages(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('chat_messages')
        .ifNotExists()
        .addColumn('seq', 'integer', (col) =>
          dialect === 'sqlite'
            ? col.primaryKey().autoIncrement()
            : col.primaryKey().generatedByDefaultAsIdentity(),
        )
        .addColumn('id', 'text', (col) => col.notNull().unique())
        .addColumn('room', 'text', (col) => col.notNull())
        .addColumn('client_id', 'text', (col) => col.notNull())
        .addColumn('sender_id', 'text', (col) => col.notNull())
        .addColumn('sender_name', 'text', (col) => col.notNull())
        .addColumn('text', 'text', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('chat_messages_room_client')
        .ifNotExists()
        .unique()
        .on('chat_messages')
        .columns(['room', 'client_id'])
        .execute();
      await db.schema
        .createIndex('chat_messages_room_seq')
        .ifNotExists()
        .on('chat_messages')
        .columns(['room', 'seq'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('chat_messages').ifExists().execute();
    },
  };
}
