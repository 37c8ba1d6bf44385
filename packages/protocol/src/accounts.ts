import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX, USERNAME_MIN } from './constants.js';

/**
 * Usernames: 3–32 characters from [a-z0-9_.-]. They are compared case-insensitively,
 * so the schema lower-cases what the user typed; "Alice" and "alice" are one account.
 */
export const Username = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(
    z
      .string()
      .min(USERNAME_MIN, `username is at least ${USERNAME_MIN} characters`)
      .max(USERNAME_MAX, `username is at most ${USERNAME_MAX} characters`)
      .regex(/^[a-z0-9_.-]+$/, 'username may contain a-z, 0-9, "_", "." and "-" only'),
  );

/** Passwords: 8–256 characters; anything else is the user's choice. */
export const Password = z
  .string()
  .min(PASSWORD_MIN, `password is at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `password is at most ${PASSWORD_MAX} characters`);

/** User ids are chosen by the server. */
export const UserId = z.string().min(1).max(64);

/** What other users see of an account. */
export const PublicUser = z.object({ id: UserId, username: z.string() });
export type PublicUser = z.infer<typeof PublicUser>;

/** POST /api/accounts (register) and POST /api/session (sign in). */
export const Credentials = z.object({ username: Username, password: Password });
export type Credentials = z.input<typeof Credentials>;

/** POST /api/account/password */
export const ChangePassword = z.object({
  currentPassword: z.string().max(PASSWORD_MAX),
  newPassword: Password,
});
export type ChangePassword = z.infer<typeof ChangePassword>;

/** The answer of register, sign in and GET /api/session. */
export const SessionInfo = z.object({ user: PublicUser });
export type SessionInfo = z.infer<typeof SessionInfo>;

/** Every /api/ error body: a stable code and a human message. */
export const ApiError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ApiError = z.infer<typeof ApiError>;

/**
 * Server → client on a signed-in WebSocket: its account has ended. `revoked`: signed out
 * (in any tab of this browser) or the password was changed elsewhere; `expired`: the
 * sign-in ran out. The socket stays open as a guest; the app should ask to sign in.
 */
export const SignedOut = z.object({
  type: z.literal('signed-out'),
  reason: z.enum(['revoked', 'expired']),
});
export type SignedOut = z.infer<typeof SignedOut>;
