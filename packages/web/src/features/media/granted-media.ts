// No imports here: the early join (in the entry chunk, before React and the message
// catalogues load) uses this, and whatever it imports lands in that chunk too.

export type LocalKind = 'audio' | 'video';

/** A getUserMedia answer already in hand, and what it was asked for. */
export interface GrantedMedia {
  stream: MediaStream;
  want: { audio: boolean; video: boolean };
}

/** A getUserMedia answer's first track of each kind (null for a kind it lacks). */
export function tracksOf(stream: MediaStream): Record<LocalKind, MediaStreamTrack | null> {
  return { audio: stream.getAudioTracks()[0] ?? null, video: stream.getVideoTracks()[0] ?? null };
}
