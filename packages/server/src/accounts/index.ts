// The accounts feature's public surface: other features import from here only.
export {
  AccountService,
  AccountError,
  publicUser,
  type AccountServiceOptions,
  type SignedIn,
  type RevocationListener,
} from './account-service.js';
export type { AccountRecord, AccountStore, SessionRecord, SessionStore } from './account-store.js';
export { KyselyAccountStore, KyselySessionStore } from './kysely-account-store.js';
export { apiErrorHandler, registerAccountRoutes } from './account-routes.js';
export { HttpError, parseBody, requireUser, sameOrigin, sendError } from './http-auth.js';
export { SocketAccounts, ACCOUNT_SOCKET_PARAM, type SignedInTabs } from './socket-accounts.js';
export { FixedWindowLimiter, type AttemptLimiter } from './sign-in-limiter.js';
export type { AccountTables, AccountsTable, AuthSessionsTable } from './tables.js';
