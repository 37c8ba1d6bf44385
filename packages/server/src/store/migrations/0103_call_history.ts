import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/** Ended direct calls, and when each user last looked at their history (missed badge). */
export function callHistory(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('call_history')
        .ifNotExists()
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('caller_id', 'text', (col) => col.notNull())
        .addColumn('callee_id', 'text', (col) => col.notNull())
        .addColumn('media', 'text', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('answered_at', 'bigint')
        .addColumn('ended_at', 'bigint', (col) => col.notNull())
        .addColumn('end_reason', 'text', (col) => col.notNull())
        .execute();
      for (const side of ['caller_id', 'callee_id'] as const) {
        await db.schema
          .createIndex(`call_history_${side}`)
          .ifNotExists()
          .on('call_history')
          .columns([side, 'created_at'])
          .execute();
      }
      await db.schema
        .createTable('call_seen')
        .ifNotExists()
        .addColumn('user_id', 'text', (col) => col.primaryKey())
        .addColumn('seen_at', 'bigint', (col) => col.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('call_seen').ifExists().execute();
      await db.schema.dropTable('call_history').ifExists().execute();
    },
  };
}
