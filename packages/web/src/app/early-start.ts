/**
 * A direct-join link (`/r/<room>?name=…`) goes straight into the call, so an inline
 * script in index.html asks for the camera and microphone and opens the signaling
 * socket while this bundle is still loading. This module hands them over: the media
 * store and the room session each take theirs once. What nobody takes is released, so
 * no camera light stays on for a stream the app never used.
 */

interface Want {
  audio: boolean;
  video: boolean;
}

interface EarlyStart {
  want: Want;
  stream?: Promise<MediaStream>;
  socket?: WebSocket;
}

const early = (window as { __parleyEarly?: EarlyStart }).__parleyEarly;
let earlyMedia = early?.stream ? { want: early.want, stream: early.stream } : null;
let earlySocket = early?.socket ?? null;

/** How long an early start waits to be taken before it is released. */
export const UNCLAIMED_MS = 30_000;
setTimeout(() => {
  void earlyMedia?.stream.then(
    (s) => s.getTracks().forEach((t) => t.stop()),
    () => undefined,
  );
  earlyMedia = null;
  earlySocket?.close();
  earlySocket = null;
}, UNCLAIMED_MS);

/** The early getUserMedia answer for exactly `want`, leaving it to be taken. */
export function peekEarlyMedia(want: Want): Promise<MediaStream> | null {
  if (!earlyMedia || earlyMedia.want.audio !== want.audio || earlyMedia.want.video !== want.video) {
    return null;
  }
  return earlyMedia.stream;
}

/** The early getUserMedia answer, if it asked for exactly `want`; only once. */
export function takeEarlyMedia(want: Want): Promise<MediaStream> | null {
  const stream = peekEarlyMedia(want);
  earlyMedia = null;
  return stream;
}

/** The early signaling socket for `url` if it is still connecting or open; only once. */
export function takeEarlySocket(url: string): WebSocket | null {
  const socket = earlySocket;
  earlySocket = null;
  if (!socket || socket.url !== url || socket.readyState > WebSocket.OPEN) {
    socket?.close();
    return null;
  }
  return socket;
}
