// The calls feature's public surface: other features import from here only.
export {
  CallEngine,
  type CallEngineListener,
  type CallEngineOptions,
  type CallSnapshot,
} from './call-engine.js';
export { registerCallHandlers, type CallPolicy } from './call-handlers.js';
export type { CallHandover } from './call-types.js';
/** The bus event a node shutting down sends for each call its moving tab should rejoin. */
export const CALL_HANDOVER = 'call-handover';
export { registerCallRoutes } from './call-routes.js';
export { isMissedFor, outcomeOf, type CallHistoryStore } from './call-history-store.js';
export { KyselyCallHistoryStore } from './kysely-call-history-store.js';
export {
  InMemoryCallDirectory,
  type CallDirectory,
  type CallRecord,
  type CreateOutcome,
} from './call-directory.js';
export type { CallTables, CallHistoryTable, CallSeenTable } from './tables.js';
