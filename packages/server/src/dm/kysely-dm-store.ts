import type { Selectable } from 'kysely';
import type { DirectMessage } from '@parley/protocol';
import { isUniqueViolation, type Database } from '../store/index.js';
import type { DirectMessagesTable } from './tables.js';
import type { DmStore } from './dm-store.js';

const toMessage = (r: Selectable<DirectMessagesTable>): DirectMessage => ({
  id: Number(r.id),
  from: r.from_id,
  to: r.to_id,
  clientId: r.client_id,
  text: r.text,
  sentAt: Number(r.sent_at),
});

export class KyselyDmStore implements DmStore {
  constructor(private readonly db: Database) {}

  private byClientId(
    from: string,
    clientId: string,
  ): Promise<Selectable<DirectMessagesTable> | undefined> {
    return this.db
      .selectFrom('direct_messages')
      .selectAll()
      .where('from_id', '=', from)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
  }

  async append(
    m: Omit<DirectMessage, 'id'>,
  ): Promise<{ message: DirectMessage; duplicate: boolean }> {
    const existing = await this.byClientId(m.from, m.clientId);
    if (existing) {
      return { message: toMessage(existing), duplicate: true };
    }
    try {
      const row = await this.db
        .insertInto('direct_messages')
        .values({
          from_id: m.from,
          to_id: m.to,
          client_id: m.clientId,
          text: m.text,
          sent_at: m.sentAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { message: toMessage(row), duplicate: false };
    } catch (err) {
      // Two resends raced past the lookup: the loser returns the winner's row.
      const winner = isUniqueViolation(err) ? await this.byClientId(m.from, m.clientId) : undefined;
      if (winner) {
        return { message: toMessage(winner), duplicate: true };
      }
      throw err;
    }
  }

  async history(
    a: string,
    b: string,
    before: number | undefined,
    limit: number,
  ): Promise<DirectMessage[]> {
    let q = this.db
      .selectFrom('direct_messages')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('from_id', '=', a), eb('to_id', '=', b)]),
          eb.and([eb('from_id', '=', b), eb('to_id', '=', a)]),
        ]),
      );
    if (before !== undefined) {
      q = q.where('id', '<', before);
    }
    const rows = await q.orderBy('id', 'desc').limit(limit).execute();
    return rows.reverse().map(toMessage);
  }

  async markRead(reader: string, other: string, upTo: number): Promise<void> {
    // Read marks only move forward, whatever order two tabs report them in.
    const current = await this.db
      .selectFrom('dm_reads')
      .select('last_read_id')
      .where('reader_id', '=', reader)
      .where('other_id', '=', other)
      .executeTakeFirst();
    if (current && Number(current.last_read_id) >= upTo) {
      return;
    }
    await this.db
      .insertInto('dm_reads')
      .values({ reader_id: reader, other_id: other, last_read_id: upTo })
      .onConflict((oc) => oc.columns(['reader_id', 'other_id']).doUpdateSet({ last_read_id: upTo }))
      .execute();
  }

  async unreadCounts(reader: string): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('direct_messages as m')
      .leftJoin('dm_reads as r', (j) =>
        j.onRef('r.reader_id', '=', 'm.to_id').onRef('r.other_id', '=', 'm.from_id'),
      )
      .select(['m.from_id as from', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('m.to_id', '=', reader)
      .where((eb) =>
        eb.or([eb('r.last_read_id', 'is', null), eb('m.id', '>', eb.ref('r.last_read_id'))]),
      )
      .groupBy('m.from_id')
      .execute();
    return new Map(rows.map((r) => [r.from, Number(r.n)]));
  }
}
