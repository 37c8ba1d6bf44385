/**
 * A screen share on one peer connection, beside the camera. The sharing side adds a
 * sendonly video transceiver of its own the first time it shares (one renegotiation,
 * which perfect negotiation carries); stopping sets it inactive (another one), so the
 * far side learns the share ended from the SDP alone; sharing again reuses it.
 *
 * Which video is the screen needs no message: the camera's transceiver is made first
 * on both sides (the initiator's offer), so it is always the first video m-line, and
 * any later video m-line we receive on is the far side's screen. The screen's sound (a
 * tab's audio) is a slot of its own of kind `audio` by the same rule: any audio m-line
 * after the microphone's.
 */

/** Encoder settings for text: keep the pixels, lose frames (docs/ARCHITECTURE.md). */
export const SCREEN_MAX_FRAMERATE = 15;

/**
 * Whether `transceiver` carries the camera or the microphone: the first m-line of its
 * kind on the connection (a later one is a screen's picture or sound).
 */
export function isCameraTransceiver(
  pc: RTCPeerConnection,
  transceiver: RTCRtpTransceiver,
): boolean {
  const kind = transceiver.receiver.track.kind;
  return pc.getTransceivers().find((t) => t.receiver.track.kind === kind) === transceiver;
}

export interface ScreenSlotEvents {
  /** The far side's screen track is now being received. */
  added: (track: MediaStreamTrack) => void;
  /** The far side stopped sharing. */
  removed: () => void;
}

export class ScreenSlot {
  /** Our own screen transceiver, once we shared on this connection. */
  private own: RTCRtpTransceiver | null = null;
  private remote: MediaStreamTrack | null = null;
  private closed = false;

  constructor(
    private readonly pc: RTCPeerConnection,
    private track: MediaStreamTrack | null,
    private readonly events: ScreenSlotEvents,
    /** `video` for the screen itself, `audio` for its sound. */
    private readonly kind: 'audio' | 'video' = 'video',
  ) {}

  /** The sender of our screen, if we ever shared on this connection. */
  get sender(): RTCRtpSender | undefined {
    return this.own?.sender;
  }

  /** Media is on the connection now: send the screen if one was shared before. */
  attach(): void {
    if (this.track) {
      this.addOwn(this.track);
    }
  }

  /** Share `track` (or stop); `live` is false until the camera's m-lines exist. */
  async setTrack(track: MediaStreamTrack | null, live: boolean): Promise<void> {
    this.track = track;
    if (track && this.kind === 'video') {
      markAsScreen(track);
    }
    if (!live) {
      return;
    }
    if (!this.own) {
      if (track) {
        this.addOwn(track);
      }
      return;
    }
    // Direction first: it fires negotiationneeded whatever replaceTrack does.
    this.own.direction = track ? 'sendonly' : 'inactive';
    await this.own.sender.replaceTrack(track);
    if (track && this.kind === 'video') {
      await preferResolution(this.own.sender);
    }
  }

  private addOwn(track: MediaStreamTrack): void {
    this.own = this.pc.addTransceiver(track, { direction: 'sendonly' });
    if (this.kind === 'video') {
      void preferResolution(this.own.sender);
    }
  }

  /**
   * After each completed offer/answer: the far side's screen is a video transceiver
   * other than the camera and our own, that we now receive on.
   */
  sync(): void {
    if (this.closed) {
      return;
    }
    const receiving = this.pc
      .getTransceivers()
      .find(
        (t) =>
          t !== this.own &&
          t.receiver.track.kind === this.kind &&
          !isCameraTransceiver(this.pc, t) &&
          (t.currentDirection === 'recvonly' || t.currentDirection === 'sendrecv'),
      );
    const track = receiving?.receiver.track ?? null;
    if (track === this.remote) {
      return;
    }
    const had = this.remote;
    this.remote = track;
    if (track) {
      this.events.added(track);
    } else if (had) {
      this.events.removed();
    }
    if (this.own && this.track && this.kind === 'video') {
      // Encodings exist once negotiated: set the text-friendly ones now.
      void preferResolution(this.own.sender);
    }
  }

  close(): void {
    this.closed = true;
  }
}

/** Tells the encoder a shared screen is text and lines: sharpness over smooth motion. */
export function markAsScreen(track: MediaStreamTrack): void {
  if ('contentHint' in track && !track.contentHint) {
    track.contentHint = 'detail';
  }
}

/**
 * Text stays legible: resolution is kept and frames are dropped when bits or CPU run
 * short (`degradationPreference`), at most SCREEN_MAX_FRAMERATE frames a second. The
 * bitrate is the uplink plan's (mesh-uplink.ts; the SFU's publisher likewise).
 */
export async function preferResolution(sender: RTCRtpSender): Promise<void> {
  const params = sender.getParameters() as RTCRtpSendParameters & {
    degradationPreference?: string;
  };
  const encoding = params.encodings?.[0];
  if (!encoding) {
    return;
  }
  params.degradationPreference = 'maintain-resolution';
  encoding.maxFramerate = Math.min(
    encoding.maxFramerate ?? SCREEN_MAX_FRAMERATE,
    SCREEN_MAX_FRAMERATE,
  );
  encoding.scaleResolutionDownBy = 1;
  try {
    await sender.setParameters(params);
  } catch {
    // Renegotiating or closed meanwhile (or no degradationPreference here): next sync.
  }
}
