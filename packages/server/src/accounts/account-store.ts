/** An account as stored. `username` is already lower-case (unique case-insensitively). */
export interface AccountRecord {
  id: string;
  username: string;
  passwordHash: string;
  createdAt: number;
}

/** Accounts. Implemented on the shared database (SQLite or PostgreSQL). */
export interface AccountStore {
  /** Create an account; null when the username is taken. */
  create(account: AccountRecord): Promise<AccountRecord | null>;
  byUsername(username: string): Promise<AccountRecord | undefined>;
  byId(id: string): Promise<AccountRecord | undefined>;
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
}

/** A signed-in browser. Only a hash of the cookie's token is kept. */
export interface SessionRecord {
  tokenHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

/** Server-side sessions, so that signing out (or a password change) revokes them. */
export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  /** The live session for this token hash (expired ones are not returned). */
  find(tokenHash: string, now: number): Promise<SessionRecord | undefined>;
  revoke(tokenHash: string): Promise<void>;
  /** Revoke every session of a user except (optionally) one; returns the revoked hashes. */
  revokeAllOf(userId: string, except?: string): Promise<string[]>;
}
