export {
  FileSharing,
  DEFAULT_FILE_MAX_BYTES,
  type Transfer,
  type TransferState,
  type FileSharingEvents,
  type FileSharingOptions,
} from './file-sharing.js';
export {
  RECEIVER_FAILURES,
  type ReceiverFailure,
  type TransferReason,
  type TransferReasonCode,
} from './transfer-reason.js';
export {
  Reactions,
  REACTION_EMOJI,
  isReactionEmoji,
  type ReactionEmoji,
  type ReactionEvents,
} from './reactions.js';
export { sha256Hex } from './sha256.js';
