import type {
  CallEndReason,
  CallMedia,
  PublicUser,
  ServerMessage,
  ServerMessageMap,
} from '@parley/protocol';
import { Emitter } from '@parley/common';
import type { SignalingClient } from '../signaling-client.js';
import { DirectCall } from './direct-call.js';

/** A call ringing on this tab, until it is accepted here, declined, or ends elsewhere. */
export interface IncomingCall {
  readonly id: string;
  readonly from: PublicUser;
  readonly media: CallMedia;
  /** When the server stops ringing, ms since epoch. */
  readonly expiresAt: number;
}

export type CallClientEvents = {
  /** A call started ringing on this tab. */
  incoming: [call: IncomingCall];
  /**
   * A ringing call stopped ringing here without being accepted on this tab:
   * `answered_elsewhere`, `cancelled`, `no_answer`, `declined` (on another tab)…
   */
  'incoming-ended': [call: IncomingCall, reason: CallEndReason];
  /** A call this tab takes part in was created (outgoing, or accepted here). */
  call: [call: DirectCall];
};

export interface CallClientOptions {
  /** Acquire local media; navigator.mediaDevices.getUserMedia by default. */
  getMedia?: (constraints: { audio: boolean; video: boolean }) => Promise<MediaStream>;
  RTCPeerConnection?: typeof RTCPeerConnection;
}

/**
 * Direct calls for a signed-in tab: places calls, surfaces incoming ones, and routes
 * the server's call messages to the right DirectCall.
 */
export class CallClient extends Emitter<CallClientEvents> {
  private readonly incoming = new Map<string, IncomingCall>();
  private readonly calls = new Map<string, DirectCall>();
  private readonly unsubscribe: () => void;
  private readonly unsubscribeLost: () => void;
  private readonly getMedia: NonNullable<CallClientOptions['getMedia']>;

  constructor(
    private readonly signaling: SignalingClient,
    private readonly options: CallClientOptions = {},
  ) {
    super();
    this.getMedia =
      options.getMedia ?? ((c) => navigator.mediaDevices.getUserMedia(c as MediaStreamConstraints));
    this.unsubscribe = signaling.on('message', (m) => this.onMessage(m));
    // A new session after a long outage: the old one's calls were ended by the server.
    this.unsubscribeLost = signaling.on('session-lost', () => this.onSessionLost());
  }

  /** Calls ringing on this tab right now. */
  get ringing(): IncomingCall[] {
    return [...this.incoming.values()];
  }

  /** The call this tab takes part in, if any. */
  get current(): DirectCall | undefined {
    return [...this.calls.values()].find((c) => c.state !== 'ended');
  }

  /**
   * Ring a contact. Media is acquired first (so a refused camera fails before anyone
   * rings); the returned call is `ringing`, or already `ended` (busy, unavailable).
   */
  async call(to: PublicUser, media: CallMedia): Promise<DirectCall> {
    const stream = await this.acquire(media);
    let reply: ServerMessageMap['call-state'];
    try {
      reply = await this.signaling.request({ type: 'call-invite', to: to.id, media }, 'call-state');
    } catch (err) {
      stream.getTracks().forEach((t) => t.stop());
      throw err;
    }
    // Both called each other at once: our invite answered their call, which rang here.
    this.dropIncoming(reply.callId);
    return this.adopt(reply, stream);
  }

  /** Answer a ringing call on this tab. Rejects with `call_not_ringing` if it is too late. */
  async accept(id: string): Promise<DirectCall> {
    const ring = this.incoming.get(id);
    if (!ring) {
      throw new Error('this call is not ringing here');
    }
    const stream = await this.acquire(ring.media);
    try {
      const reply = await this.signaling.request({ type: 'call-accept', callId: id }, 'call-state');
      this.dropIncoming(id);
      return this.adopt(reply, stream);
    } catch (err) {
      stream.getTracks().forEach((t) => t.stop());
      throw err;
    }
  }

  /** Decline a ringing call (for every tab of ours). */
  decline(id: string): void {
    if (this.incoming.has(id)) {
      this.signaling.send({ type: 'call-end', callId: id });
      const ring = this.incoming.get(id) as IncomingCall;
      this.incoming.delete(id);
      this.emit('incoming-ended', ring, 'declined');
    }
  }

  /**
   * Microphone, plus the camera for a video call. A camera that cannot be used (denied,
   * busy) does not stop the call: it goes on with sound, and the camera can be turned
   * on later from the call.
   */
  private async acquire(media: CallMedia): Promise<MediaStream> {
    if (media === 'video') {
      try {
        return await this.getMedia({ audio: true, video: true });
      } catch {
        /* fall back to the microphone alone */
      }
    }
    return this.getMedia({ audio: true, video: false });
  }

  private dropIncoming(id: string): void {
    this.incoming.delete(id);
  }

  private adopt(reply: ServerMessageMap['call-state'], stream: MediaStream): DirectCall {
    const call = new DirectCall(
      reply.callId,
      reply.role,
      reply.peer,
      reply.media,
      'ringing',
      stream,
      {
        signaling: this.signaling,
        getMedia: this.getMedia,
        ...(this.options.RTCPeerConnection
          ? { RTCPeerConnection: this.options.RTCPeerConnection }
          : {}),
      },
    );
    this.calls.set(call.id, call);
    call.on('state', (s) => {
      if (s === 'ended') {
        this.calls.delete(call.id);
      }
    });
    this.emit('call', call);
    call.handleState(reply);
    return call;
  }

  private onMessage(m: ServerMessage): void {
    switch (m.type) {
      case 'call-incoming': {
        const ring: IncomingCall = {
          id: m.callId,
          from: m.from,
          media: m.media,
          expiresAt: m.expiresAt,
        };
        this.incoming.set(ring.id, ring);
        this.emit('incoming', ring);
        return;
      }
      case 'call-state': {
        const call = this.calls.get(m.callId);
        if (call) {
          call.handleState(m);
          return;
        }
        const ring = this.incoming.get(m.callId);
        if (ring && m.state === 'ended') {
          this.incoming.delete(m.callId);
          this.emit('incoming-ended', ring, m.reason ?? 'failed');
        }
        return;
      }
      case 'call-signal': {
        const payload = m.description ? { description: m.description } : { candidate: m.candidate };
        this.calls.get(m.callId)?.handleSignal(payload as never);
        return;
      }
      case 'call-media':
        this.calls.get(m.callId)?.handleRemoteMedia(m.media);
        return;
      default:
        return;
    }
  }

  private onSessionLost(): void {
    for (const call of [...this.calls.values()]) {
      void call.handleSessionLost();
    }
    for (const ring of [...this.incoming.values()]) {
      this.incoming.delete(ring.id);
      this.emit('incoming-ended', ring, 'failed');
    }
  }

  /** Stop listening; ends nothing (the server ends calls when the socket goes). */
  close(): void {
    this.unsubscribe();
    this.unsubscribeLost();
  }
}
