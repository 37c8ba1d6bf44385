import type { AccountTables } from '../accounts/tables.js';
import type { CallTables } from '../calls/tables.js';
import type { ChatTables } from '../chat/tables.js';
import type { ContactTables } from '../contacts/tables.js';
import type { DmTables } from '../dm/tables.js';
import type { MeetTables } from '../meet/tables.js';

/**
 * Every table of the Parley database, as Kysely sees it. Each feature owns its table
 * types (`<feature>/tables.ts`) and its migrations (./migrations, numbered per feature
 * range); the store is where they meet.
 */
export type Tables = ChatTables &
  AccountTables &
  ContactTables &
  DmTables &
  CallTables &
  MeetTables;
