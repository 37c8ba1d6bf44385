/**
 * Tables of accounts and their sign-in sessions (migration 0100). bigint columns come
 * back from PostgreSQL as strings: read with Number().
 */
type Millis = number | string;

export interface AccountsTable {
  id: string;
  username: string;
  password_hash: string;
  created_at: Millis;
}
export interface AuthSessionsTable {
  token_hash: string;
  user_id: string;
  created_at: Millis;
  expires_at: Millis;
}

/** Browsers that signed in to an account (migration 0105); the cookie is kept as a hash. */
export interface KnownDevicesTable {
  token_hash: string;
  user_id: string;
  created_at: Millis;
  last_used_at: Millis;
}

export interface AccountTables {
  accounts: AccountsTable;
  auth_sessions: AuthSessionsTable;
  known_devices: KnownDevicesTable;
}
