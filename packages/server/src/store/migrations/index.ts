import type { Migration } from 'kysely';
import type { DialectName } from '../dialect.js';
import { chatMessages } from './0001_chat_messages.js';
import { accounts } from './0100_accounts.js';
import { contacts } from './0101_contacts.js';
import { directMessages } from './0102_direct_messages.js';
import { callHistory } from './0103_call_history.js';
import { meet } from './0104_meet.js';
import { knownDevices } from './0105_known_devices.js';

/**
 * Every migration, in order. Names sort lexically and never change once released;
 * append new ones (0002_…) at the end. Each is a function of the dialect because
 * SQLite and PostgreSQL spell auto-increment differently.
 */
export const migrations: Record<string, (dialect: DialectName) => Migration> = {
  '0001_chat_messages': chatMessages,
  '0100_accounts': accounts,
  '0101_contacts': contacts,
  '0102_direct_messages': directMessages,
  '0103_call_history': callHistory,
  '0104_meet': meet,
  '0105_known_devices': knownDevices,
};
