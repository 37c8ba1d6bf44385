import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/** Meet reports (listed by `parley reports`) and the pairs that never meet again. */
export function meet(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('meet_reports')
        .ifNotExists()
        .addColumn('id', 'integer', (col) =>
          dialect === 'sqlite'
            ? col.primaryKey().autoIncrement()
            : col.primaryKey().generatedByDefaultAsIdentity(),
        )
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('match_id', 'text', (col) => col.notNull())
        .addColumn('reason', 'text', (col) => col.notNull())
        .addColumn('text', 'text')
        .addColumn('reporter_session', 'text', (col) => col.notNull())
        .addColumn('reported_session', 'text', (col) => col.notNull())
        .addColumn('reporter_person', 'text', (col) => col.notNull())
        .addColumn('reported_person', 'text', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('meet_reports_created')
        .ifNotExists()
        .on('meet_reports')
        .column('created_at')
        .execute();
      await db.schema
        .createTable('meet_exclusions')
        .ifNotExists()
        .addColumn('person_id', 'text', (col) => col.notNull())
        .addColumn('other_id', 'text', (col) => col.notNull())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .execute();
      for (const side of ['person_id', 'other_id'] as const) {
        await db.schema
          .createIndex(`meet_exclusions_${side}`)
          .ifNotExists()
          .on('meet_exclusions')
          .column(side)
          .execute();
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('meet_exclusions').ifExists().execute();
      await db.schema.dropTable('meet_reports').ifExists().execute();
    },
  };
}
