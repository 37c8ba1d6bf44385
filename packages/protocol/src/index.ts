import type { z } from 'zod';
import { ErrorMessage, Hello, IceServers, Ping, Pong, ServerDraining, Welcome } from './session.js';
import {
  Join,
  Joined,
  Leave,
  Left,
  PeerJoined,
  PeerLeft,
  PeerMediaState,
  SetMediaState,
} from './rooms.js';
import {
  EndRoom,
  HostChanged,
  LobbyAnswer,
  LobbyList,
  LobbyWaiting,
  MuteRequest,
  MuteRequested,
  RemovePeer,
  RoomAccessChanged,
  RoomClosed,
  RoomSettings,
} from './room-host.js';
import { readSignalOut, SignalIn, SignalOut } from './signal.js';
import {
  RoomMode,
  SfuAnswer,
  SfuLayer,
  SfuOffer,
  SfuPause,
  SfuPublish,
  SfuRestart,
  SfuSubscribed,
  SfuSubscriberAnswer,
  SfuTrickle,
} from './sfu.js';
import { RequestId } from './common.js';
import { RoomDataIn, RoomDataOut } from './data.js';
import {
  CallAccept,
  CallRejoin,
  CallEnd,
  CallIncoming,
  CallInvite,
  CallMediaIn,
  CallMediaOut,
  CallSignalIn,
  CallSignalOut,
  CallStateMessage,
  CallsMissed,
} from './calls.js';
import { ContactUpdate, PresenceUpdate } from './contacts.js';
import { SignedOut } from './accounts.js';
import { DmRead, DmReceived, DmSend, DmSent, DmUnread } from './dm.js';
import {
  ChatHistory,
  ChatHistoryRequest,
  ChatMessageOut,
  ChatSend,
  ChatTypingIn,
  ChatTypingOut,
} from './chat.js';
import {
  MeetBlock,
  MeetNext,
  MeetQueue,
  MeetReport,
  MeetStart,
  MeetState,
  MeetStop,
} from './meet.js';
import {
  BoardAdded,
  BoardAnswer,
  BoardPaired,
  BoardPostRequest,
  BoardPosted,
  BoardRemoved,
  BoardSnapshot,
  BoardUnwatch,
  BoardUnwatched,
  BoardWatch,
  BoardWithdraw,
  BoardWithdrawn,
} from './board.js';

export * from './common.js';
export * from './constants.js';
export * from './session.js';
export * from './rooms.js';
export * from './room-host.js';
export * from './signal.js';
export * from './sfu.js';
export * from './data.js';
export * from './accounts.js';
export * from './contacts.js';
export * from './dm.js';
export * from './calls.js';
export * from './chat.js';
export * from './meet.js';
export * from './board.js';

/** Schemas of every message a client may send, keyed by `type`. */
export const clientMessageSchemas = {
  hello: Hello,
  ping: Ping,
  join: Join,
  leave: Leave,
  signal: SignalOut,
  'media-state': SetMediaState,
  'room-settings': RoomSettings,
  'lobby-answer': LobbyAnswer,
  'mute-request': MuteRequest,
  'remove-peer': RemovePeer,
  'end-room': EndRoom,
  'sfu-publish': SfuPublish,
  'sfu-subscriber-answer': SfuSubscriberAnswer,
  'sfu-trickle': SfuTrickle,
  'sfu-layer': SfuLayer,
  'room-data': RoomDataOut,
  'sfu-pause': SfuPause,
  'sfu-restart': SfuRestart,
  'call-invite': CallInvite,
  'call-accept': CallAccept,
  'call-rejoin': CallRejoin,
  'call-end': CallEnd,
  'call-signal': CallSignalOut,
  'call-media': CallMediaOut,
  'dm-send': DmSend,
  'dm-read': DmRead,
  'chat-send': ChatSend,
  'chat-history': ChatHistoryRequest,
  'chat-typing': ChatTypingOut,
  'meet-start': MeetStart,
  'meet-next': MeetNext,
  'meet-stop': MeetStop,
  'meet-report': MeetReport,
  'meet-block': MeetBlock,
  'board-watch': BoardWatch,
  'board-unwatch': BoardUnwatch,
  'board-post': BoardPostRequest,
  'board-withdraw': BoardWithdraw,
  'board-answer': BoardAnswer,
} as const;

/** Schemas of every message a server may send, keyed by `type`. */
export const serverMessageSchemas = {
  welcome: Welcome,
  pong: Pong,
  error: ErrorMessage,
  'ice-servers': IceServers,
  'server-draining': ServerDraining,
  joined: Joined,
  left: Left,
  'peer-joined': PeerJoined,
  'peer-left': PeerLeft,
  'peer-media-state': PeerMediaState,
  'room-access': RoomAccessChanged,
  'lobby-waiting': LobbyWaiting,
  lobby: LobbyList,
  'mute-requested': MuteRequested,
  'room-closed': RoomClosed,
  'host-changed': HostChanged,
  signal: SignalIn,
  'room-mode': RoomMode,
  'sfu-answer': SfuAnswer,
  'sfu-offer': SfuOffer,
  'sfu-subscribed': SfuSubscribed,
  'room-data': RoomDataIn,
  'call-incoming': CallIncoming,
  'call-state': CallStateMessage,
  'call-signal': CallSignalIn,
  'call-media': CallMediaIn,
  'calls-missed': CallsMissed,
  presence: PresenceUpdate,
  'signed-out': SignedOut,
  'contact-update': ContactUpdate,
  dm: DmReceived,
  'dm-sent': DmSent,
  'dm-unread': DmUnread,
  'chat-message': ChatMessageOut,
  'chat-history': ChatHistory,
  'chat-typing': ChatTypingIn,
  'meet-state': MeetState,
  'meet-queue': MeetQueue,
  'board-snapshot': BoardSnapshot,
  'board-unwatched': BoardUnwatched,
  'board-posted': BoardPosted,
  'board-withdrawn': BoardWithdrawn,
  'board-added': BoardAdded,
  'board-removed': BoardRemoved,
  'board-paired': BoardPaired,
} as const;

/**
 * Checks that accept the usual well-formed frame of a hot message type without zod's
 * allocations; whatever they do not accept goes to the schema, which decides.
 */
const clientFastPaths: FastPaths = { signal: readSignalOut };

type FastPaths = Record<string, (frame: Record<string, unknown>) => object | undefined>;

type Infer<T> = { [K in keyof T]: T[K] extends z.ZodType ? z.infer<T[K]> : never };

export type ClientMessageMap = Infer<typeof clientMessageSchemas>;
export type ServerMessageMap = Infer<typeof serverMessageSchemas>;
export type ClientMessageType = keyof ClientMessageMap;
export type ServerMessageType = keyof ServerMessageMap;
export type ClientMessage = ClientMessageMap[ClientMessageType];
export type ServerMessage = ServerMessageMap[ServerMessageType];
/** A message to send, before defaults are applied (what a client constructs). */
export type ClientMessageInput = {
  [K in ClientMessageType]: z.input<(typeof clientMessageSchemas)[K]>;
}[ClientMessageType];

export type ParseResult<M> =
  | { ok: true; message: M }
  | {
      ok: false;
      code: 'bad_json' | 'unknown_type' | 'bad_message';
      message: string;
      of?: string;
      /** The frame's request id, when it had a usable one: the error answers that request. */
      rid?: string;
    };

/** A request id that can be echoed in an error even when the rest of the frame is wrong. */
function readableRid(data: object): string | undefined {
  const rid = (data as { rid?: unknown }).rid;
  return RequestId.safeParse(rid).success && typeof rid === 'string' ? rid : undefined;
}

function parseWith<S extends Record<string, z.ZodType>>(
  schemas: S,
  raw: string,
  fastPaths: FastPaths = {},
): ParseResult<{ [K in keyof S]: z.infer<S[K]> }[keyof S]> {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'bad_json', message: 'frame is not valid JSON' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, code: 'bad_message', message: 'frame must be a JSON object' };
  }
  const type = (data as { type?: unknown }).type;
  if (typeof type !== 'string') {
    return { ok: false, code: 'bad_message', message: 'frame has no string "type"' };
  }
  const schema = Object.prototype.hasOwnProperty.call(schemas, type) ? schemas[type] : undefined;
  if (!schema) {
    const rid = readableRid(data);
    return {
      ok: false,
      code: 'unknown_type',
      message: `unknown message type "${type.slice(0, 40)}"`,
      of: type.slice(0, 40),
      ...(rid === undefined ? {} : { rid }),
    };
  }
  const fast = Object.prototype.hasOwnProperty.call(fastPaths, type)
    ? fastPaths[type]?.(data as Record<string, unknown>)
    : undefined;
  if (fast !== undefined) {
    return { ok: true, message: fast as { [K in keyof S]: z.infer<S[K]> }[keyof S] };
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    const rid = readableRid(data);
    return {
      ok: false,
      code: 'bad_message',
      message: `invalid "${type}": ${where}${issue?.message ?? 'wrong shape'}`,
      of: type,
      ...(rid === undefined ? {} : { rid }),
    };
  }
  return { ok: true, message: result.data as { [K in keyof S]: z.infer<S[K]> }[keyof S] };
}

/** Validate a raw frame from a client. Never throws. */
export function parseClientMessage(raw: string): ParseResult<ClientMessage> {
  return parseWith(clientMessageSchemas, raw, clientFastPaths) as ParseResult<ClientMessage>;
}

/** Validate a raw frame from the server. Never throws. */
export function parseServerMessage(raw: string): ParseResult<ServerMessage> {
  return parseWith(serverMessageSchemas, raw) as ParseResult<ServerMessage>;
}
