// The direct messages feature's public surface: other features import from here only.
export { registerDmFeature } from './dm-handlers.js';
export type { DmStore } from './dm-store.js';
export { KyselyDmStore } from './kysely-dm-store.js';
export type { DmTables, DirectMessagesTable, DmReadsTable } from './tables.js';
