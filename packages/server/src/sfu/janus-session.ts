/**
 * A Janus session and the plugin handles attached to it. The session sends a keepalive
 * every `keepaliveMs` (Janus ends a session that has been silent for its
 * session_timeout, 60 s by default); a handle is one plugin context, which in the
 * videoroom means one PeerConnection of one participant.
 *
 * Teardown cascades: a session that ends (destroyed by us, timed out by Janus, or lost
 * with its connection) detaches its handles, each with the same reason, once.
 */
import type { JanusClient } from './janus-client.js';
import type {
  JanusMessage,
  JanusNumericId,
  Jsep,
  PluginData,
  TrickleCandidate,
} from './janus-api.js';
import { Emitter } from '@parley/common';
import { SfuError, type SfuErrorCode } from './sfu-error.js';

/**
 * Why a session ended: `destroyed` by us; `timeout` when Janus timed it out (no
 * keepalive for its session_timeout) or no longer knew it; `disconnected` when the
 * WebSocket dropped (Janus destroys the sessions of a closed transport); `closed` when
 * the client was closed.
 */
export type JanusEndReason = 'destroyed' | 'timeout' | 'disconnected' | 'closed';

export interface JanusSessionEvents {
  /** The session is gone, for `reason`; emitted once. Its handles are detached first. */
  closed: [reason: JanusEndReason];
}

export class JanusSession extends Emitter<JanusSessionEvents> {
  private readonly handles = new Map<JanusNumericId, JanusHandle>();
  private readonly keepaliveTimer: NodeJS.Timeout;
  private ended: JanusEndReason | null = null;

  /** Made by `JanusClient.createSession()`. */
  constructor(
    readonly client: JanusClient,
    readonly id: JanusNumericId,
  ) {
    super();
    this.keepaliveTimer = setInterval(() => void this.sendKeepalive(), client.keepaliveMs);
    this.keepaliveTimer.unref();
  }

  /** Why the session ended, or null while it lives. */
  get endReason(): JanusEndReason | null {
    return this.ended;
  }

  /**
   * Attach a handle to `plugin` (e.g. janus.plugin.videoroom). `pluginErrors` maps the
   * plugin's `error_code`s to ours (default `sfu_error`).
   */
  async attach(
    plugin: string,
    options: {
      opaqueId?: string;
      pluginErrors?: (code: number, reason: string) => SfuErrorCode;
    } = {},
  ): Promise<JanusHandle> {
    this.assertOpen();
    const reply = await this.client.request(
      {
        janus: 'attach',
        session_id: this.id,
        plugin,
        ...(options.opaqueId ? { opaque_id: options.opaqueId } : {}),
      },
      'success',
    );
    const id = reply.data?.id;
    if (typeof id !== 'number') {
      throw new SfuError('sfu_error', `Janus attached to ${plugin} without a handle id`);
    }
    const handle = new JanusHandle(this, id, plugin, options.pluginErrors);
    if (this.ended) {
      handle.end(this.ended);
      throw new SfuError('sfu_closed', `the Janus session ended (${this.ended})`);
    }
    this.handles.set(id, handle);
    handle.once('detached', () => this.handles.delete(id));
    return handle;
  }

  /** One keepalive now (the timer sends them anyway); fails like any request. */
  async keepalive(): Promise<void> {
    this.assertOpen();
    await this.client.request({ janus: 'keepalive', session_id: this.id }, 'ack');
  }

  /**
   * Destroy the session in Janus (which detaches its handles) and end it here. Safe to
   * call twice, and after the session was lost: then it only ends it here.
   */
  async destroy(timeoutMs?: number): Promise<void> {
    if (this.ended) {
      return;
    }
    const request = this.client.request({ janus: 'destroy', session_id: this.id }, 'success');
    const bounded =
      timeoutMs === undefined
        ? request
        : Promise.race([request, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    try {
      await bounded;
    } catch (err) {
      // Gone already (timed out, Janus restarted, connection lost): ending it is all
      // that is left to do.
      if (!(err instanceof SfuError)) {
        throw err;
      }
    } finally {
      this.end('destroyed');
    }
  }

  /** Route a notification from Janus to this session or one of its handles. */
  handleNotification(message: JanusMessage): void {
    if (message.janus === 'timeout') {
      this.end('timeout');
      return;
    }
    if (message.sender !== undefined) {
      this.handles.get(message.sender)?.handleNotification(message);
    }
  }

  /** End the session here (no request to Janus); detaches its handles first. Once. */
  end(reason: JanusEndReason): void {
    if (this.ended) {
      return;
    }
    this.ended = reason;
    clearInterval(this.keepaliveTimer);
    for (const handle of [...this.handles.values()]) {
      handle.end(reason);
    }
    this.emit('closed', reason);
    this.removeAllListeners();
  }

  private async sendKeepalive(): Promise<void> {
    try {
      await this.keepalive();
    } catch (err) {
      if (!(err instanceof SfuError)) {
        throw err;
      }
      if (err.code === 'sfu_session_lost') {
        this.end('timeout');
      } else if (err.code === 'sfu_timeout') {
        // Janus accepted the socket but answers nothing: treat the connection as dead.
        this.client.dropConnection('a keepalive went unanswered');
      }
    }
  }

  private assertOpen(): void {
    if (this.ended) {
      throw new SfuError('sfu_closed', `the Janus session ended (${this.ended})`);
    }
  }
}

/** Janus's `media` notification: it started or stopped receiving a stream. */
export interface MediaNotice {
  /** audio or video */
  type: string;
  mid: string | undefined;
  receiving: boolean;
  /** With `receiving: false`: seconds without media (Janus's no_media_timer). */
  seconds: number | undefined;
}

/** Janus's `slowlink` notification: loss on one stream of this PeerConnection. */
export interface SlowLinkNotice {
  /** true: what Janus receives is lossy; false: what it sends. */
  uplink: boolean;
  mid: string | undefined;
  /** audio or video */
  media: string | undefined;
  /** Packets lost (or NACKs) in the last second. */
  lost: number;
}

/** A handle ends with its session's reason, or `detached` (by us or by Janus). */
export type JanusHandleEndReason = JanusEndReason | 'detached';

export interface JanusHandleEvents {
  /** ICE and DTLS are up with Janus: media can flow (`webrtcup`). */
  webrtcup: [];
  /** Janus started or stopped receiving a stream (`media`). */
  media: [notice: MediaNotice];
  /** The PeerConnection with Janus is gone (`hangup`), with Janus's reason. */
  hangup: [reason: string];
  /** Janus sees loss on a stream (`slowlink`). */
  slowlink: [notice: SlowLinkNotice];
  /** A candidate of Janus's (only with full_trickle); null: end of candidates. */
  trickle: [candidate: TrickleCandidate | null];
  /** A plugin event that answers no request of ours (e.g. videoroom `publishers`). */
  event: [data: Record<string, unknown>, jsep: Jsep | undefined];
  /** The handle is gone; emitted once, last. */
  detached: [reason: JanusHandleEndReason];
}

/** What a plugin answered: its data (`plugindata.data`) and an SDP when it sent one. */
export interface PluginReply<D = Record<string, unknown>> {
  data: D;
  jsep: Jsep | undefined;
}

export class JanusHandle extends Emitter<JanusHandleEvents> {
  private ended: JanusHandleEndReason | null = null;

  /** Made by `JanusSession.attach()`. */
  constructor(
    readonly session: JanusSession,
    readonly id: JanusNumericId,
    readonly plugin: string,
    private readonly pluginErrors: (code: number, reason: string) => SfuErrorCode = () =>
      'sfu_error',
  ) {
    super();
  }

  /** Why the handle ended, or null while it lives. */
  get endReason(): JanusHandleEndReason | null {
    return this.ended;
  }

  /**
   * Send a message to the plugin, with an SDP when there is one. Resolves with the
   * plugin's synchronous answer, or with the event that answers an asynchronous request
   * (after Janus's `ack`). A plugin error (`error_code` in its data) rejects with the
   * mapped `SfuError`.
   */
  async message<D = Record<string, unknown>>(
    body: Record<string, unknown>,
    jsep?: Jsep,
  ): Promise<PluginReply<D>> {
    this.assertOpen();
    const reply = await this.session.client.request(
      {
        janus: 'message',
        session_id: this.session.id,
        handle_id: this.id,
        body,
        ...(jsep ? { jsep } : {}),
      },
      'plugin',
    );
    const plugindata = reply.plugindata as PluginData | undefined;
    const data = plugindata?.data ?? {};
    if (typeof data.error_code === 'number') {
      const request = typeof body.request === 'string' ? body.request : 'message';
      const reason = String(data.error ?? 'no reason');
      throw new SfuError(
        this.pluginErrors(data.error_code, reason),
        `${this.plugin} refused "${request}": ${reason} (${data.error_code})`,
        data.error_code,
      );
    }
    return { data: data as D, jsep: reply.jsep };
  }

  /**
   * Trickle ICE candidates to Janus (one, several, or null for end of candidates).
   * Janus queues those that arrive before the SDP they belong to.
   */
  async trickle(candidates: TrickleCandidate | readonly TrickleCandidate[] | null): Promise<void> {
    this.assertOpen();
    const base = { janus: 'trickle' as const, session_id: this.session.id, handle_id: this.id };
    const request =
      candidates === null
        ? { ...base, candidate: { completed: true as const } }
        : Array.isArray(candidates)
          ? { ...base, candidates: [...(candidates as readonly TrickleCandidate[])] }
          : { ...base, candidate: candidates as TrickleCandidate };
    await this.session.client.request(request, 'ack');
  }

  /** Close the PeerConnection of this handle, keeping the handle. */
  async hangup(): Promise<void> {
    this.assertOpen();
    await this.session.client.request(
      { janus: 'hangup', session_id: this.session.id, handle_id: this.id },
      'success',
    );
  }

  /**
   * Detach from the plugin (which leaves its room and closes its PeerConnection) and end
   * the handle here. Safe to call twice, and after the session ended.
   */
  async detach(): Promise<void> {
    if (this.ended) {
      return;
    }
    try {
      await this.session.client.request(
        { janus: 'detach', session_id: this.session.id, handle_id: this.id },
        'success',
      );
    } catch (err) {
      if (!(err instanceof SfuError)) {
        throw err;
      }
    } finally {
      this.end('detached');
    }
  }

  /** A notification from Janus about this handle. */
  handleNotification(message: JanusMessage): void {
    switch (message.janus) {
      case 'webrtcup':
        this.emit('webrtcup');
        return;
      case 'media':
        this.emit('media', {
          type: String(message.type ?? ''),
          mid: message.mid,
          receiving: message.receiving === true,
          seconds: message.seconds,
        });
        return;
      case 'hangup':
        this.emit('hangup', String(message.reason ?? ''));
        return;
      case 'slowlink':
        this.emit('slowlink', {
          uplink: message.uplink === true,
          mid: message.mid,
          media: message.media,
          lost: Number(message.lost ?? 0),
        });
        return;
      case 'trickle': {
        const candidate = message.candidate;
        this.emit(
          'trickle',
          !candidate || 'completed' in candidate ? null : (candidate as TrickleCandidate),
        );
        return;
      }
      case 'event':
        this.emit('event', message.plugindata?.data ?? {}, message.jsep);
        return;
      case 'detached':
        this.end('detached');
        return;
    }
  }

  /** End the handle here (no request to Janus). Once. */
  end(reason: JanusHandleEndReason): void {
    if (this.ended) {
      return;
    }
    this.ended = reason;
    this.emit('detached', reason);
    this.removeAllListeners();
  }

  private assertOpen(): void {
    if (this.ended) {
      throw new SfuError('sfu_closed', `the Janus handle is detached (${this.ended})`);
    }
  }
}
