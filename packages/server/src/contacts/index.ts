// The contacts feature's public surface: other features import from here only.
export { ContactService, ContactError, type UnreadCounter } from './contact-service.js';
export type { ContactRow, ContactStore } from './contact-store.js';
export { KyselyContactStore } from './kysely-contact-store.js';
export { registerContactRoutes } from './contact-routes.js';
export { PresenceService } from './presence.js';
export {
  InMemoryPresenceDirectory,
  type PresenceDirectory,
  type TabOfNode,
} from './presence-directory.js';
export type { ContactTables, ContactsTable } from './tables.js';
