/**
 * The one error type of the SFU module: a stable `code` for callers to branch on, a
 * human message, and Janus's own numeric code when Janus gave one. Callers never parse
 * messages and never see a raw Janus error object.
 */

export type SfuErrorCode =
  /** No connection to Janus: it is down, refused us, or the socket dropped. */
  | 'sfu_unavailable'
  /** Janus did not answer a request in time. */
  | 'sfu_timeout'
  /** Our client (or the session or handle) was closed before the request finished. */
  | 'sfu_closed'
  /** Wrong or missing API secret (core 403), admin key, room secret or PIN (videoroom 433). */
  | 'sfu_unauthorized'
  /** Janus no longer knows the session or handle (timed out, or destroyed). */
  | 'sfu_session_lost'
  /** videoroom 426. */
  | 'sfu_no_such_room'
  /** videoroom 427: a room with this id exists already. */
  | 'sfu_room_exists'
  /** videoroom 428: no such publisher, or it is not publishing (yet). */
  | 'sfu_no_such_feed'
  /** videoroom 436: a participant with this id is in the room already. */
  | 'sfu_id_exists'
  /** videoroom 432: the room has its maximum of publishers. */
  | 'sfu_publishers_full'
  /** The SDP was refused (videoroom 431/437, core 464/465). */
  | 'sfu_invalid_sdp'
  /** The request does not fit the handle's state (join first, already joined/published…). */
  | 'sfu_wrong_state'
  /** Janus refused the request as malformed: a bug on our side. */
  | 'sfu_bad_request'
  /** Anything else Janus reported. */
  | 'sfu_error';

export class SfuError extends Error {
  override name = 'SfuError';

  constructor(
    readonly code: SfuErrorCode,
    message: string,
    /** Janus's numeric error code (core 4xx or plugin 4xx), when it sent one. */
    readonly janusCode?: number,
  ) {
    super(message);
  }
}

/** Janus core error codes (janus-gateway src/apierror.h) to ours. */
export function coreErrorCode(janusCode: number): SfuErrorCode {
  switch (janusCode) {
    case 403: // unauthorized
    case 405: // unauthorized plugin
      return 'sfu_unauthorized';
    case 458: // session not found
    case 459: // handle not found
      return 'sfu_session_lost';
    case 464: // unknown JSEP type
    case 465: // invalid SDP
      return 'sfu_invalid_sdp';
    case 471: // WebRTC state
      return 'sfu_wrong_state';
    case 472: // not accepting new sessions (Janus is shutting down)
      return 'sfu_unavailable';
    default:
      return janusCode >= 452 && janusCode <= 457 ? 'sfu_bad_request' : 'sfu_error';
  }
}
