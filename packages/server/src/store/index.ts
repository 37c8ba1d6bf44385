export {
  openStore,
  redactUrl,
  SQLITE_FILE,
  type Database,
  type Store,
  type StoreOptions,
} from './database.js';
export { migrateToLatest, MigrationError } from './migrate.js';
export type { DialectName } from './dialect.js';
export type { Tables } from './schema.js';
export { isUniqueViolation } from './errors.js';
