import { randomBytes, randomInt } from 'node:crypto';
import type { Logger } from '../logger.js';
import {
  JanusClient,
  SfuError,
  VideoRoomAdmin,
  type JanusSession,
  type VideoRoomId,
} from '../sfu/index.js';
import type { SfuRoomDirectory, SfuRoomRecord } from './sfu-room-directory.js';

export interface SfuServiceOptions {
  url: string;
  apiSecret?: string;
  adminKey?: string;
  /** The videoroom takes string ids (`--sfu-string-ids`): room ids are then strings too. */
  stringIds: boolean;
  /** Publishers a videoroom allows (`--max-room-size`). */
  maxPublishers: number;
  /**
   * Seconds between the key frames Janus asks of every publisher (`fir_freq`,
   * `--sfu-keyframe-interval`), 0 for none. A subscriber moves to another simulcast layer
   * only on a key frame of that layer, and Janus drops a key frame request that comes
   * within a second of the previous one (a resume, then a layer change): without a
   * regular one, that switch never came (libwebrtc sends VP8 key frames only on request).
   */
  keyframeIntervalS?: number;
  directory: SfuRoomDirectory;
  log: Logger;
  /** For tests: Janus's timeouts. */
  requestTimeoutMs?: number;
}

/**
 * This node's link to Janus: one API connection and one Janus session, opened lazily
 * and again after Janus comes back, and the videorooms of Parley's rooms, created on
 * first need (private, with a random secret and PIN that stay on the server) and
 * destroyed when the room's last seat goes.
 */
export class SfuService {
  readonly client: JanusClient;
  private session: Promise<JanusSession> | null = null;
  private admin: Promise<VideoRoomAdmin> | null = null;
  /** Videorooms this node knows exist in Janus (forgotten with the Janus session). */
  private readonly known = new Set<string>();

  constructor(private readonly options: SfuServiceOptions) {
    this.client = new JanusClient({
      url: options.url,
      logger: options.log,
      ...(options.apiSecret === undefined ? {} : { apiSecret: options.apiSecret }),
      ...(options.requestTimeoutMs === undefined
        ? {}
        : { requestTimeoutMs: options.requestTimeoutMs }),
    });
  }

  /** The Janus API is connected. */
  get available(): boolean {
    return this.client.state === 'open';
  }

  get stringIds(): boolean {
    return this.options.stringIds;
  }

  /** Connect in the background (the client keeps trying by its policy). */
  start(): void {
    this.janusSession().catch((err: unknown) =>
      this.options.log.warn({ err }, 'sfu: Janus is not reachable yet'),
    );
  }

  /** This node's Janus session, made again after the last one ended. */
  janusSession(): Promise<JanusSession> {
    this.session ??= (async () => {
      await this.client.connect();
      const session = await this.client.createSession();
      session.once('closed', (reason) => {
        this.options.log.warn({ reason }, 'sfu: the Janus session ended');
        this.session = null;
        this.admin = null;
        this.known.clear();
      });
      return session;
    })();
    const current = this.session;
    current.catch(() => {
      if (this.session === current) {
        this.session = null;
      }
    });
    return current;
  }

  /** The Parley room's videoroom, created in Janus when this node has not seen it yet. */
  async videoroom(roomId: string): Promise<SfuRoomRecord & { id: VideoRoomId }> {
    const record = await this.options.directory.videoroom(roomId, {
      janusRoom: this.options.stringIds
        ? `parley-${randomBytes(12).toString('base64url')}`
        : String(randomInt(1, 2 ** 47)),
      secret: randomBytes(24).toString('base64url'),
      pin: randomBytes(24).toString('base64url'),
    });
    const id = this.toId(record.janusRoom);
    if (!this.known.has(record.janusRoom)) {
      const admin = await this.adminHandle();
      try {
        await admin.createRoom({
          room: id,
          secret: record.secret,
          pin: record.pin,
          publishers: this.options.maxPublishers,
          ...(this.options.keyframeIntervalS ? { firFreq: this.options.keyframeIntervalS } : {}),
          description: `parley ${roomId}`,
        });
      } catch (err) {
        // Another node (Janus is shared) created it first.
        if (!(err instanceof SfuError && err.code === 'sfu_room_exists')) {
          throw err;
        }
      }
      this.known.add(record.janusRoom);
    }
    return { ...record, id };
  }

  /** The room's last seat left: forget it and destroy its videoroom, if it had one. */
  async release(roomId: string): Promise<void> {
    const record = await this.options.directory.remove(roomId);
    if (!record) {
      return;
    }
    this.known.delete(record.janusRoom);
    if (!this.available) {
      return;
    }
    const admin = await this.adminHandle();
    await admin.destroyRoom(this.toId(record.janusRoom), record.secret).catch((err: unknown) => {
      if (!(err instanceof SfuError && err.code === 'sfu_no_such_room')) {
        throw err;
      }
    });
  }

  toId(janusRoom: string): VideoRoomId {
    return this.options.stringIds ? janusRoom : Number(janusRoom);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private adminHandle(): Promise<VideoRoomAdmin> {
    this.admin ??= this.janusSession().then((s) =>
      VideoRoomAdmin.attach(s, { adminKey: this.options.adminKey }),
    );
    const current = this.admin;
    current.catch(() => {
      if (this.admin === current) {
        this.admin = null;
      }
    });
    return current;
  }
}
