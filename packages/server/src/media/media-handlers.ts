import type { Gateway } from '../signaling/gateway.js';
import { ProtocolError, unavailable } from '../signaling/protocol-error.js';
import type { Session } from '../signaling/session.js';
import type { Delivery } from '../cluster/delivery.js';
import type { Logger } from '../logger.js';
import { seatOf, type Seat } from '../rooms/index.js';
import { SfuError } from '../sfu/index.js';
import { SfuParticipant } from './sfu-participant.js';
import type { SfuService } from './sfu-service.js';
import type { MediaMode, SfuRoomDirectory } from './sfu-room-directory.js';

const PARTICIPANT = 'media.sfu';

export interface MediaOptions {
  /** Null without --sfu-url: every room stays a mesh. */
  sfu: SfuService | null;
  directory: SfuRoomDirectory;
  /** Rooms larger than this go through the SFU (`--mesh-max`). */
  meshMax: number;
  /**
   * After a room went back to a mesh, how long its videoroom stays for the clients to
   * finish their switch (make before break) before it is destroyed (default 15 s, above
   * the SDK's 10 s switch timeout).
   */
  retireAfterMs?: number;
  /** How many seats a room has now (the room directory's count). */
  roomSize?: (roomId: string) => Promise<number>;
  /**
   * While Janus is down, rooms up to this size fall back to (or stay) a mesh; larger
   * ones are told the media server is unavailable (default: the mesh-only room size, 6,
   * capped at --max-room-size).
   */
  meshFallbackMax?: number;
  log: Logger;
}

/** The largest mesh Parley runs without an SFU (the default --max-room-size). */
export const MESH_FALLBACK_MAX = 6;

/** A room that shrinks to this many seats goes back to a mesh (hysteresis: up past --mesh-max). */
export const MESH_AGAIN_AT = 2;
const DEFAULT_RETIRE_AFTER_MS = 15_000;

/** What the rooms feature asks of the media feature (wired in app.ts). */
export interface MediaFeature {
  /**
   * The mode of a room that a join just brought to `size` seats. Moves a room past
   * --mesh-max to the SFU and tells the others (`room-mode`), not the newcomer, whose
   * `joined` says it.
   */
  modeAfterJoin(roomId: string, size: number, newcomer: Session): Promise<MediaMode>;
  /** A seat was released: its Janus handles go, and the videoroom with the last seat. */
  seatReleased(roomId: string, remaining: number | undefined, session: Session | undefined): void;
  /** Stop the timers of videorooms waiting to be destroyed (shutdown). */
  close(): void;
}

function participantOf(session: Session): SfuParticipant | undefined {
  return session.attachments.get(PARTICIPANT) as SfuParticipant | undefined;
}

/** A Janus failure as the client sees it: the SFU is away, or it refused the request. */
function sfuProblem(err: unknown): Error {
  if (err instanceof ProtocolError) {
    return err;
  }
  if (
    err instanceof SfuError &&
    ['sfu_unavailable', 'sfu_timeout', 'sfu_closed', 'sfu_session_lost'].includes(err.code)
  ) {
    return new ProtocolError('sfu_unavailable', 'the SFU cannot be reached right now', {
      cause: err,
    });
  }
  return new ProtocolError('sfu_refused', `the SFU refused: ${(err as Error).message}`, {
    cause: err,
  });
}

/**
 * Large rooms through Janus. The browser sends its SDP and candidates here; the server
 * finds the session's own seat (nothing the client names chooses the room) and makes the
 * Janus requests on its behalf, with handles held by this node.
 */
export function registerMediaHandlers(
  gateway: Gateway,
  delivery: Delivery,
  options: MediaOptions,
): MediaFeature {
  const { sfu, directory, log } = options;
  const fallbackMax = options.meshFallbackMax ?? MESH_FALLBACK_MAX;
  let stopped = false;
  const retireAfterMs = options.retireAfterMs ?? DEFAULT_RETIRE_AFTER_MS;
  /** Rooms back on a mesh whose videoroom this node destroys when the clients are off it. */
  const retiring = new Map<string, ReturnType<typeof setTimeout>>();

  /** Destroy the videoroom of a room that is (still) a mesh; Janus drops its handles. */
  const retire = async (roomId: string): Promise<void> => {
    const timer = retiring.get(roomId);
    if (timer === undefined) {
      return;
    }
    clearTimeout(timer);
    retiring.delete(roomId);
    if (sfu && (await directory.mode(roomId)) === 'mesh') {
      await sfu.release(roomId);
    }
  };
  const retireLater = (roomId: string): void => {
    clearTimeout(retiring.get(roomId));
    const timer = setTimeout(() => {
      retire(roomId).catch((err: unknown) =>
        log.warn({ err, room: roomId }, 'sfu: could not destroy the videoroom of a mesh room'),
      );
    }, retireAfterMs);
    timer.unref();
    retiring.set(roomId, timer);
  };

  const closeParticipant = (session: Session): void => {
    const participant = participantOf(session);
    if (participant) {
      session.attachments.delete(PARTICIPANT);
      void participant.close();
    }
  };

  /** The session's seat in a room whose media goes through the SFU. */
  const sfuSeat = async (session: Session): Promise<{ seat: Seat; sfu: SfuService }> => {
    const seat = seatOf(session);
    if (!seat) {
      throw new ProtocolError('not_joined', 'join a room before using the SFU');
    }
    const mode = await directory.mode(seat.roomId).catch((err: unknown) => {
      throw unavailable(err);
    });
    if (!sfu || mode !== 'sfu') {
      throw new ProtocolError('not_sfu', "this room's media is peer to peer right now");
    }
    return { seat, sfu };
  };

  /**
   * The session's participant in its current room, made on its first publish. Only a
   * publish needs the room to be through the SFU now: after a switch back to a mesh, the
   * connections it already has keep working (renegotiation, candidates) until the
   * videoroom is retired, so the clients can switch make before break.
   */
  const participant = async (session: Session, create: boolean): Promise<SfuParticipant> => {
    const seat = seatOf(session);
    if (!seat) {
      throw new ProtocolError('not_joined', 'join a room before using the SFU');
    }
    const existing = participantOf(session);
    const mine = existing && existing.roomId === seat.roomId && existing.peerId === seat.peerId;
    if (!create && mine) {
      return existing;
    }
    const { sfu: service } = await sfuSeat(session);
    if (!create) {
      if (existing) {
        closeParticipant(session);
      }
      throw new ProtocolError('sfu_refused', 'publish to the SFU first (sfu-publish)');
    }
    const [janus, room] = await Promise.all([
      service.janusSession(),
      service.videoroom(seat.roomId),
    ]);
    const current = participantOf(session);
    if (current && current.roomId === seat.roomId && current.peerId === seat.peerId) {
      if (current.janusRoom === String(room.id)) {
        return current;
      }
      // From an earlier stint of the room on the SFU, in a videoroom since retired.
      closeParticipant(session);
    } else if (current) {
      closeParticipant(session);
    }
    const made = new SfuParticipant(
      janus,
      { id: room.id, pin: room.pin },
      {
        roomId: seat.roomId,
        peerId: seat.peerId,
        stringIds: service.stringIds,
        sendOffer: (jsep, streams) =>
          session.send({ type: 'sfu-offer', jsep: { type: 'offer', sdp: jsep.sdp }, streams }),
        onLost: () => {
          if (participantOf(session) === made) {
            closeParticipant(session);
          }
        },
        log,
      },
    );
    if (participantOf(session)) {
      // Two first publishes raced: keep the one that got here first.
      void made.close();
      return participantOf(session) as SfuParticipant;
    }
    session.attachments.set(PARTICIPANT, made);
    return made;
  };

  gateway.handle('sfu-publish', async (session, msg) => {
    const p = await participant(session, true).catch((err: unknown) => {
      throw sfuProblem(err);
    });
    const answer = await p.publish(msg.jsep).catch((err: unknown) => {
      throw sfuProblem(err);
    });
    session.send({
      type: 'sfu-answer',
      jsep: { type: 'answer', sdp: answer.sdp },
      ...(msg.rid === undefined ? {} : { rid: msg.rid }),
    });
  });

  gateway.handle('sfu-subscriber-answer', async (session, msg) => {
    const p = await participant(session, false);
    if (!p.hasSubscriber()) {
      throw new ProtocolError('sfu_refused', 'no subscriber offer to answer');
    }
    await p.answer(msg.jsep).catch((err: unknown) => {
      throw sfuProblem(err);
    });
    session.send({ type: 'sfu-subscribed', ...(msg.rid === undefined ? {} : { rid: msg.rid }) });
  });

  gateway.handle('sfu-trickle', async (session, msg) => {
    const p = await participant(session, false);
    const c = msg.candidate;
    await p
      .trickle(
        msg.target,
        c && {
          candidate: c.candidate,
          sdpMid: c.sdpMid ?? null,
          sdpMLineIndex: c.sdpMLineIndex ?? null,
        },
      )
      .catch((err: unknown) => {
        throw sfuProblem(err);
      });
  });

  /** Change how `peerId`'s video reaches the session; `unknown_peer` if it receives none. */
  const onReceivedVideo = async (
    session: Session,
    peerId: string,
    change: (p: SfuParticipant) => Promise<boolean>,
  ): Promise<void> => {
    const p = await participant(session, false);
    const done = await change(p).catch((err: unknown) => {
      throw sfuProblem(err);
    });
    if (!done) {
      throw new ProtocolError(
        'unknown_peer',
        `no video of "${peerId.slice(0, 64)}" is received in this room`,
      );
    }
  };

  gateway.handle('sfu-layer', (session, msg) =>
    onReceivedVideo(session, msg.peerId, (p) => p.setLayer(msg.peerId, msg.substream)),
  );

  gateway.handle('sfu-pause', (session, msg) =>
    onReceivedVideo(session, msg.peerId, (p) => p.setPaused(msg.peerId, msg.paused)),
  );

  gateway.handle('sfu-restart', async (session) => {
    const p = await participant(session, false);
    if (!p.restartIce()) {
      throw new ProtocolError('sfu_refused', 'no receiving connection to restart');
    }
  });

  /**
   * Janus went down or came back: each room with a seat on this node moves to the mode
   * it can have now (compare-and-set, so one node announces each switch). Down: a room
   * that fits a mesh falls back to one, a larger one is told plainly. Back: a mesh room
   * past --mesh-max goes through Janus again.
   */
  const followJanus = async (up: boolean): Promise<void> => {
    const roomIds = new Set<string>();
    for (const session of delivery.localSessions()) {
      const seat = seatOf(session);
      if (seat) {
        roomIds.add(seat.roomId);
      }
    }
    for (const roomId of roomIds) {
      const [mode, size] = await Promise.all([
        directory.mode(roomId),
        options.roomSize ? options.roomSize(roomId) : Promise.resolve(0),
      ]);
      if (stopped) {
        return;
      }
      if (up && mode === 'mesh' && size > options.meshMax) {
        if (await directory.switchMode(roomId, 'mesh', 'sfu')) {
          delivery.toRoom(roomId, JSON.stringify({ type: 'room-mode', mode: 'sfu' }));
        }
      } else if (!up && mode === 'sfu' && size <= fallbackMax) {
        if (await directory.switchMode(roomId, 'sfu', 'mesh')) {
          log.warn({ room: roomId, size }, 'sfu: Janus is down, the room falls back to a mesh');
          delivery.toRoom(roomId, JSON.stringify({ type: 'room-mode', mode: 'mesh' }));
        }
      } else if (!up && mode === 'sfu') {
        delivery.toRoom(
          roomId,
          JSON.stringify({
            type: 'error',
            code: 'sfu_unavailable',
            message: `the media server is unavailable, and this room is too large (${size}) to fall back to peer to peer`,
          }),
        );
      }
    }
  };
  if (sfu) {
    let wasUp = false;
    sfu.client.on('state', (state) => {
      const up = state === 'open';
      if (stopped || state === 'closed' || up === wasUp) {
        wasUp = up;
        return;
      }
      wasUp = up;
      if (up) {
        // The Janus session is made again lazily; the first publish makes it.
        sfu.start();
      }
      followJanus(up).catch((err: unknown) =>
        log.warn({ err }, 'sfu: could not move rooms after a change in Janus'),
      );
    });
  }

  return {
    async modeAfterJoin(roomId, size, newcomer) {
      if (!sfu) {
        return 'mesh';
      }
      if (size > options.meshMax && !sfu.available) {
        // Janus is down: a room that fits a mesh stays (or goes back to) one.
        if (size > fallbackMax) {
          throw new ProtocolError(
            'sfu_unavailable',
            'this room is too large to join while the media server is unavailable',
          );
        }
        if (await directory.switchMode(roomId, 'sfu', 'mesh')) {
          delivery.toRoom(roomId, JSON.stringify({ type: 'room-mode', mode: 'mesh' }), newcomer.id);
        }
        return 'mesh';
      }
      if (size > options.meshMax) {
        // Back past --mesh-max before the last videoroom was retired: retire it now, so
        // that everyone starts afresh in a new one.
        await retire(roomId);
        if (await directory.switchMode(roomId, 'mesh', 'sfu')) {
          delivery.toRoom(roomId, JSON.stringify({ type: 'room-mode', mode: 'sfu' }), newcomer.id);
        }
        return 'sfu';
      }
      return directory.mode(roomId);
    },
    seatReleased(roomId, remaining, session) {
      if (session) {
        closeParticipant(session);
      }
      if (!sfu || remaining === undefined) {
        return;
      }
      if (remaining === 0) {
        clearTimeout(retiring.get(roomId));
        retiring.delete(roomId);
        sfu.release(roomId).catch((err: unknown) => {
          log.warn({ err, room: roomId }, 'sfu: could not destroy a videoroom');
        });
        return;
      }
      if (remaining <= MESH_AGAIN_AT) {
        directory.switchMode(roomId, 'sfu', 'mesh').then(
          (switched) => {
            if (switched) {
              delivery.toRoom(roomId, JSON.stringify({ type: 'room-mode', mode: 'mesh' }));
              retireLater(roomId);
            }
          },
          (err: unknown) =>
            log.warn({ err, room: roomId }, 'sfu: could not switch a room back to a mesh'),
        );
      }
    },
    close() {
      stopped = true;
      for (const timer of retiring.values()) {
        clearTimeout(timer);
      }
      retiring.clear();
    },
  };
}
