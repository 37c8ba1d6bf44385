/**
 * Constants shared by client and server. This module imports nothing, so that the
 * browser bundle can use them without pulling in the schemas (and zod).
 */

/**
 * Bumped on any change a peer on the older version would misread.
 * `hello` with another version is refused with `version_mismatch`.
 */
export const PROTOCOL_VERSION = 1;

/** Default largest frame, in bytes (configurable on the server). */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * One catalogue of error codes. A code is stable: clients switch on it, and the
 * human `message` next to it may change wording at any time.
 */
export const ErrorCode = {
  /** The frame was not valid JSON. */
  BadJson: 'bad_json',
  /** The frame's `type` is not a message this server knows. */
  UnknownType: 'unknown_type',
  /** The frame has a known `type` but the wrong shape. */
  BadMessage: 'bad_message',
  /**
   * The frame is larger than the server accepts (the socket is closed with 1009), or a
   * `room-data` payload is larger than `--room-data-max-bytes` (refused; nothing else happens).
   */
  TooLarge: 'too_large',
  /** The client speaks a protocol version this server does not. */
  VersionMismatch: 'version_mismatch',
  /** A message other than `hello` arrived before the handshake. */
  HelloRequired: 'hello_required',
  /** `hello` arrived twice on one connection. */
  AlreadyGreeted: 'already_greeted',
  /** `join` while the connection already has a seat in a room. */
  AlreadyJoined: 'already_joined',
  /** A room message from a connection that is not in a room. */
  NotJoined: 'not_joined',
  /** The room has as many participants as it allows. */
  RoomFull: 'room_full',
  /** `signal` or `room-data` addressed to a peer that is not in the sender's room. */
  UnknownPeer: 'unknown_peer',
  /** An SFU message (`sfu-*`) in a room whose media is a mesh right now. */
  NotSfu: 'not_sfu',
  /** The SFU (Janus) cannot be reached, so a room that needs it cannot have it now. */
  SfuUnavailable: 'sfu_unavailable',
  /** The SFU refused the request (an SDP it cannot use, a message out of turn). */
  SfuRefused: 'sfu_refused',
  /** The connection sends faster than its configured rate (frames, or `room-data` bytes). */
  RateLimited: 'rate_limited',
  /** The server has too many connections or rooms to accept this one. */
  Overloaded: 'overloaded',
  /** (Socket) This client address holds as many connections as one address may (`--max-connections-per-address`). */
  TooManyConnections: 'too_many_connections',
  /** (Socket) This client address opens connections faster than `--connect-rate-per-address` a minute. */
  ConnectRateLimited: 'connect_rate_limited',
  /** (Socket) No `hello` within `--hello-timeout-ms` of the socket opening; it is closed. */
  HelloTimeout: 'hello_timeout',
  /** (HTTP) The Host header names a host this server does not answer to (`--allowed-hosts`). */
  ForbiddenHost: 'forbidden_host',
  /** The resume token is unknown or its grace period has passed. */
  ResumeFailed: 'resume_failed',
  /** The request needs a signed-in account (session cookie). */
  Unauthenticated: 'unauthenticated',
  /** Sign-in failed: the same answer for an unknown user and a wrong password. */
  BadCredentials: 'bad_credentials',
  /** Registration with a username that exists (case-insensitively). */
  UsernameTaken: 'username_taken',
  /** No account with that username or id. */
  UnknownUser: 'unknown_user',
  /** (HTTP) A state-changing request or a signed-in socket from another site's page. */
  Forbidden: 'forbidden',
  /** Calls and direct messages need an accepted contact who has not blocked you. */
  NotContact: 'not_contact',
  /** No live call with that id that you take part in. */
  UnknownCall: 'unknown_call',
  /** `call-accept` on a call that is no longer ringing (answered elsewhere, ended). */
  CallNotRinging: 'call_not_ringing',
  /** `call-invite` while you are already ringing or in a call. */
  AlreadyInCall: 'already_in_call',
  /** A chat message is empty after trimming. */
  EmptyMessage: 'empty_message',
  /** A chat message is longer than the server accepts (after trimming). */
  MessageTooLong: 'message_too_long',
  /** A file to share is larger than the configured limit (checked by both peers). */
  FileTooLarge: 'file_too_large',
  /** Nobody is connected peer to peer to receive what was sent. */
  NoPeers: 'no_peers',
  /**
   * The server cannot reach the state it shares with its other nodes (Redis) right
   * now; nothing was done, and the same request can be tried again shortly.
   */
  Unavailable: 'unavailable',
  /**
   * `join` of a private pair room (the reserved form, see `isPrivateRoomId`) that was not
   * granted to this session: only the two people a meet match or a board answer paired
   * may join it.
   */
  RoomPrivate: 'room_private',
  /** `join` of a room with a password, without one. */
  PasswordRequired: 'password_required',
  /** `join` with a password that is not the room's (attempts are limited: `rate_limited`). */
  WrongPassword: 'wrong_password',
  /** `join` of a room its host locked: nobody new may come in. */
  RoomLocked: 'room_locked',
  /** The host turned this join away from the lobby (answers the join's `rid`). */
  LobbyDenied: 'lobby_denied',
  /** The lobby of this room holds as many people as it may (`--lobby-max`). */
  LobbyFull: 'lobby_full',
  /** A host control (`room-settings`, `lobby-answer`, `mute-request`, `remove-peer`, `end-room`) from someone who is not the room's host. */
  NotHost: 'not_host',
  /** `lobby-answer` naming nobody who waits in this room's lobby (admitted, gone, never there). */
  UnknownWaiter: 'unknown_waiter',
  /** A meet message while the operator turned meet off (`--meet-enabled=false`). */
  MeetDisabled: 'meet_disabled',
  /** `meet-start` while already waiting, matched or in a meet call. */
  MeetAlreadyStarted: 'meet_already_started',
  /** `meet-next` while idle (not started). */
  MeetNotStarted: 'meet_not_started',
  /** `meet-report` / `meet-block` naming a match that is not one of your recent ones. */
  UnknownMatch: 'unknown_match',
  /** `meet-next` sooner after the last one than the configured interval allows. */
  NextTooSoon: 'next_too_soon',
  /** Meet and the board exclude each other: in meet with an open post, or answering while in meet. */
  Busy: 'busy',
  /** A board message while the operator turned the board off (`--board-enabled=false`). */
  BoardDisabled: 'board_disabled',
  /** A board topic longer than the server's configured limit (after trimming). */
  TopicTooLong: 'topic_too_long',
  /** `board-post` when you already have as many open posts as one person may. */
  TooManyPosts: 'too_many_posts',
  /** `board-post` when the board holds as many open posts as it may. */
  BoardFull: 'board_full',
  /** The post is not open (any more): answered by someone first, withdrawn, expired, gone. */
  PostGone: 'post_gone',
  /** `board-answer` on your own post. */
  OwnPost: 'own_post',
  /** Anything the server did not expect; details are in its log, not on the wire. */
  Internal: 'internal',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ERROR_CODES: readonly ErrorCode[] = Object.values(ErrorCode);

/** WebSocket close codes Parley uses beyond the standard ones. */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  ProtocolError: 1002,
  /** A text frame that is not valid UTF-8 (RFC 6455; the WebSocket layer closes with it). */
  InvalidPayload: 1007,
  /** Message too big (RFC 6455). */
  TooLarge: 1009,
  /** Version mismatch on hello: the client must upgrade. */
  VersionMismatch: 4000,
  /** The same session was resumed on another socket. */
  Replaced: 4001,
  /** Server is shutting down. */
  ServerShutdown: 4002,
  /** Refused by policy (RFC 6455): too many connections from one address, no hello in time. */
  PolicyViolation: 1008,
  /** The server is overloaded; try again later (RFC 6455 registry). */
  TryAgainLater: 1013,
  /** Closed by the client: the server stopped answering (see `ping`). */
  Silent: 4003,
  /**
   * Closed by the client after `server-draining`: it is moving to another node and will
   * not resume here, so the server ends the session at once (like 1000).
   */
  Moving: 4005,
} as const;

/**
 * Private pair rooms (a meet match, an answered board post) have ids of this form:
 * the prefix and a random part. Anyone may type such an id, but the server lets only
 * the sessions it granted the room to join it (`room_private` otherwise).
 */
export const PRIVATE_ROOM_PREFIX = 'pair--';

/** True for a room id in the reserved private form. */
export function isPrivateRoomId(room: string): boolean {
  return room.startsWith(PRIVATE_ROOM_PREFIX);
}

/** Username length bounds (charset a-z 0-9 _ . -; compared case-insensitively). */
export const USERNAME_MIN = 3;
export const USERNAME_MAX = 32;
/** Password length bounds. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
/** Name of the session cookie. */
export const SESSION_COOKIE = 'parley_session';
