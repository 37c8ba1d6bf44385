import { z } from 'zod';
import { PublicUser, UserId, Username } from './accounts.js';

/** Where a user is, as their contacts see it, across all of their tabs and devices. */
export const Presence = z.enum(['online', 'in_call', 'offline']);
export type Presence = z.infer<typeof Presence>;

/**
 * A contact relation seen from one side: `accepted` both ways, `outgoing` = I asked,
 * `incoming` = they asked, `blocked` = I blocked them (the other side never learns it).
 */
export const ContactStatus = z.enum(['accepted', 'incoming', 'outgoing', 'blocked']);
export type ContactStatus = z.infer<typeof ContactStatus>;

export const Contact = z.object({
  user: PublicUser,
  status: ContactStatus,
  /** Only for `accepted` contacts; `offline` otherwise. */
  presence: Presence,
  /** Direct messages from them I have not read. */
  unread: z.number().int().min(0),
});
export type Contact = z.infer<typeof Contact>;

/** GET /api/contacts */
export const ContactList = z.object({ contacts: z.array(Contact) });
export type ContactList = z.infer<typeof ContactList>;

/** POST /api/contacts/requests: ask a user (by username) to become a contact. */
export const ContactRequest = z.object({ username: Username });
export type ContactRequest = z.input<typeof ContactRequest>;

/** GET /api/users/:username answer. */
export const UserLookup = z.object({ user: PublicUser });

/** Server → client: a contact's presence changed. */
export const PresenceUpdate = z.object({
  type: z.literal('presence'),
  userId: UserId,
  presence: Presence,
});

/** Server → client: my relation with this user changed (request, accept, remove…): refetch. */
export const ContactUpdate = z.object({
  type: z.literal('contact-update'),
  contact: Contact.nullable(),
  userId: UserId,
});
