import { z } from 'zod';
import { PeerId, RequestId, RoomId } from './common.js';

/*
 * Room access control and host controls (docs/PROTOCOL.md "Host controls"). Whoever
 * creates a room is its host; the host may set a password, lock the room, hold
 * newcomers in a lobby, ask someone to mute, remove someone and end the room for all.
 * Every host message is refused with `not_host` from anyone else, and nothing changes.
 */

/** A room password as typed: 1–128 characters (stored only as a salted scrypt hash). */
export const RoomPassword = z.string().min(1).max(128);

/** The secret that makes its holder the room's host again on a later join (kept per room by the browser). */
export const HostKey = z.string().min(16).max(64);

/** What everyone in the room knows about how it admits people. */
export const RoomAccess = z
  .object({
    /** Nobody new may join (the host still can, with the host key or account). */
    locked: z.boolean(),
    /** Newcomers wait in the lobby until the host admits them. */
    lobby: z.boolean(),
    /** A password is needed to join (the password itself never leaves the server). */
    password: z.boolean(),
  })
  .strict();
export type RoomAccess = z.infer<typeof RoomAccess>;

/** Someone waiting in the lobby, as the host sees them. */
export const LobbyWaiter = z.object({ id: z.string().min(1).max(64), name: z.string() }).strict();
export type LobbyWaiter = z.infer<typeof LobbyWaiter>;

/** Client → server (host only): change the room's access. Absent fields stay as they are. */
export const RoomSettings = z
  .object({
    type: z.literal('room-settings'),
    /** A new password, or null to remove it. */
    password: RoomPassword.nullable().optional(),
    locked: z.boolean().optional(),
    lobby: z.boolean().optional(),
    rid: RequestId,
  })
  .strict();

/** Server → room: the room's access changed (the host's own copy carries its `rid`). */
export const RoomAccessChanged = z.object({
  type: z.literal('room-access'),
  access: RoomAccess,
  rid: RequestId,
});

/** Server → a join that waits in the lobby (answers the join's `rid`; `joined` follows on admission with the same `rid`). */
export const LobbyWaiting = z.object({
  type: z.literal('lobby-waiting'),
  room: RoomId,
  rid: RequestId,
});

/** Server → host: who waits in the lobby now, longest waiting first (sent on every change). */
export const LobbyList = z.object({
  type: z.literal('lobby'),
  waiters: z.array(LobbyWaiter),
  /** Set on the answer to the host's own `lobby-answer`. */
  rid: RequestId,
});

/** Client → server (host only): let a waiter in, or turn them away. */
export const LobbyAnswer = z
  .object({
    type: z.literal('lobby-answer'),
    waiter: z.string().min(1).max(64),
    admit: z.boolean(),
    rid: RequestId,
  })
  .strict();

/** Client → server (host only): ask a participant to mute their microphone. */
export const MuteRequest = z
  .object({ type: z.literal('mute-request'), peer: PeerId, rid: RequestId })
  .strict();

/** Server → participant: the host asks you to mute (the SDK turns the mic off; you may turn it on again). */
export const MuteRequested = z.object({ type: z.literal('mute-requested'), by: PeerId });

/** Client → server (host only): remove a participant from the room. */
export const RemovePeer = z
  .object({ type: z.literal('remove-peer'), peer: PeerId, rid: RequestId })
  .strict();

/** Client → server (host only): end the room for everyone in it and in its lobby. */
export const EndRoom = z.object({ type: z.literal('end-room'), rid: RequestId }).strict();

/**
 * Server → participant: your seat is gone, not by your choice: `removed` by the host, or
 * the host `ended` the room. Do not rejoin on your own.
 */
export const RoomClosed = z.object({
  type: z.literal('room-closed'),
  room: RoomId,
  reason: z.enum(['removed', 'ended']),
});

/**
 * Server → room: the host is now `host` (it left and this is the longest-present
 * participant, or the creator came back). The new host's own copy carries a fresh
 * `hostKey` to keep host over a reload.
 */
export const HostChanged = z.object({
  type: z.literal('host-changed'),
  host: PeerId,
  hostKey: HostKey.optional(),
});

/** Join fields of host controls (merged into `join`). */
export const JoinAccessFields = {
  /** The room's password, when it has one (`password_required` / `wrong_password` otherwise). */
  password: RoomPassword.optional(),
  /** The host key `joined` gave this browser for this room: joins as its host. */
  hostKey: HostKey.optional(),
};

/** What `joined` says about hosting (merged into `joined`). */
export const JoinedHostFields = {
  /** The room's host (its peer id); absent in a private pair room, which has none. */
  host: PeerId.optional(),
  /** Only to the host: keep it for this room to stay host over a reload. */
  hostKey: HostKey.optional(),
  access: RoomAccess.optional(),
};
