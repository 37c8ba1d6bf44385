import type { ContactStatus } from '@parley/protocol';
import type { Database } from '../store/index.js';
import type { ContactRow, ContactStore } from './contact-store.js';

export class KyselyContactStore implements ContactStore {
  constructor(private readonly db: Database) {}

  async get(ownerId: string, otherId: string): Promise<ContactStatus | undefined> {
    const row = await this.db
      .selectFrom('contacts')
      .select('status')
      .where('owner_id', '=', ownerId)
      .where('other_id', '=', otherId)
      .executeTakeFirst();
    return row?.status as ContactStatus | undefined;
  }

  async list(ownerId: string): Promise<ContactRow[]> {
    const rows = await this.db
      .selectFrom('contacts')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .execute();
    return rows.map((r) => ({
      ownerId: r.owner_id,
      otherId: r.other_id,
      status: r.status as ContactStatus,
      since: Number(r.since),
    }));
  }

  async set(row: ContactRow): Promise<void> {
    await this.db
      .insertInto('contacts')
      .values({
        owner_id: row.ownerId,
        other_id: row.otherId,
        status: row.status,
        since: row.since,
      })
      .onConflict((oc) =>
        oc.columns(['owner_id', 'other_id']).doUpdateSet({ status: row.status, since: row.since }),
      )
      .execute();
  }

  async delete(ownerId: string, otherId: string): Promise<void> {
    await this.db
      .deleteFrom('contacts')
      .where('owner_id', '=', ownerId)
      .where('other_id', '=', otherId)
      .execute();
  }
}
