import type { Selectable } from 'kysely';
import type { AccountRecord, AccountStore, SessionRecord, SessionStore } from './account-store.js';
import { isUniqueViolation, type Database } from '../store/index.js';
import type { AccountsTable } from './tables.js';

const toAccount = (r: Selectable<AccountsTable>): AccountRecord => ({
  id: r.id,
  username: r.username,
  passwordHash: r.password_hash,
  createdAt: Number(r.created_at),
});

export class KyselyAccountStore implements AccountStore {
  constructor(private readonly db: Database) {}

  async create(a: AccountRecord): Promise<AccountRecord | null> {
    try {
      await this.db
        .insertInto('accounts')
        .values({
          id: a.id,
          username: a.username,
          password_hash: a.passwordHash,
          created_at: a.createdAt,
        })
        .execute();
      return a;
    } catch (err) {
      if (isUniqueViolation(err)) {
        return null;
      }
      throw err;
    }
  }

  async byUsername(username: string): Promise<AccountRecord | undefined> {
    const row = await this.db
      .selectFrom('accounts')
      .selectAll()
      .where('username', '=', username.toLowerCase())
      .executeTakeFirst();
    return row && toAccount(row);
  }

  async byId(id: string): Promise<AccountRecord | undefined> {
    const row = await this.db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toAccount(row);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db
      .updateTable('accounts')
      .set({ password_hash: passwordHash })
      .where('id', '=', id)
      .execute();
  }
}

export class KyselySessionStore implements SessionStore {
  constructor(private readonly db: Database) {}

  async create(s: SessionRecord): Promise<void> {
    await this.db
      .insertInto('auth_sessions')
      .values({
        token_hash: s.tokenHash,
        user_id: s.userId,
        created_at: s.createdAt,
        expires_at: s.expiresAt,
      })
      .execute();
  }

  async find(tokenHash: string, now: number): Promise<SessionRecord | undefined> {
    const row = await this.db
      .selectFrom('auth_sessions')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!row || Number(row.expires_at) <= now) {
      return undefined;
    }
    return {
      tokenHash: row.token_hash,
      userId: row.user_id,
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
    };
  }

  async revoke(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('auth_sessions').where('token_hash', '=', tokenHash).execute();
  }

  async revokeAllOf(userId: string, except?: string): Promise<string[]> {
    let q = this.db.deleteFrom('auth_sessions').where('user_id', '=', userId);
    if (except !== undefined) {
      q = q.where('token_hash', '!=', except);
    }
    const rows = await q.returning('token_hash').execute();
    return rows.map((r) => r.token_hash);
  }
}
