import type { ReportReason } from '@parley/protocol';
import type { Database } from '../store/index.js';

export interface MeetReport {
  id: number;
  createdAt: number;
  matchId: string;
  reason: ReportReason;
  text: string | null;
  reporterSession: string;
  reportedSession: string;
  reporterPerson: string;
  reportedPerson: string;
}

/** Reports and lasting exclusions of meet, in the configured database. */
export class MeetStore {
  constructor(private readonly db: Database) {}

  async report(r: Omit<MeetReport, 'id'>): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('meet_reports')
        .values({
          created_at: r.createdAt,
          match_id: r.matchId,
          reason: r.reason,
          text: r.text,
          reporter_session: r.reporterSession,
          reported_session: r.reportedSession,
          reporter_person: r.reporterPerson,
          reported_person: r.reportedPerson,
        })
        .execute();
      await tx
        .insertInto('meet_exclusions')
        .values({
          person_id: r.reporterPerson,
          other_id: r.reportedPerson,
          kind: 'report',
          created_at: r.createdAt,
        })
        .execute();
    });
  }

  async block(personId: string, otherId: string, at: number): Promise<void> {
    await this.db
      .insertInto('meet_exclusions')
      .values({ person_id: personId, other_id: otherId, kind: 'block', created_at: at })
      .execute();
  }

  /** Everyone a person must never be paired with: whom they excluded, and who excluded them. */
  async excludedFor(personId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('meet_exclusions')
      .select(['person_id', 'other_id'])
      .where((eb) => eb.or([eb('person_id', '=', personId), eb('other_id', '=', personId)]))
      .execute();
    return [...new Set(rows.map((r) => (r.person_id === personId ? r.other_id : r.person_id)))];
  }

  /** The latest reports, newest first. */
  async recentReports(limit: number, sinceMs = 0): Promise<MeetReport[]> {
    const rows = await this.db
      .selectFrom('meet_reports')
      .selectAll()
      .where('created_at', '>=', sinceMs)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      createdAt: Number(r.created_at),
      matchId: r.match_id,
      reason: r.reason as ReportReason,
      text: r.text,
      reporterSession: r.reporter_session,
      reportedSession: r.reported_session,
      reporterPerson: r.reporter_person,
      reportedPerson: r.reported_person,
    }));
  }
}
