import type { LobbyWaiter, RoomAccess, ServerMessage, ServerMessageMap } from '@parley/protocol';
import { Emitter } from '@parley/common';
import { ParleyError } from '../errors.js';
import type { SignalingClient } from '../signaling-client.js';

export type RoomHostingEvents = {
  /** The room's host changed; `isSelf` when it is us (the host controls work now). */
  'host-changed': [hostId: string | null, isSelf: boolean];
  /** The room's lock, lobby or password changed. */
  access: [access: RoomAccess];
  /** (Host) who waits in the lobby, longest waiting first. */
  lobby: [waiters: LobbyWaiter[]];
  /** A host key for this room: keep it (per room) and pass it to `join` to stay host over a reload. */
  'host-key': [key: string];
};

const OPEN: RoomAccess = { locked: false, lobby: false, password: false };

/**
 * Who hosts a room and the host's controls (`room.hosting`). The server decides: every
 * method here is refused with `not_host` unless we are the host, and the answer comes
 * back as an event (`access`, `lobby`) to everyone it concerns.
 */
export class RoomHosting extends Emitter<RoomHostingEvents> {
  private _hostId: string | null = null;
  private selfId: string | null = null;
  private _access: RoomAccess = OPEN;
  private _waiters: LobbyWaiter[] = [];
  private _hostKey: string | null = null;

  constructor(
    private readonly signaling: SignalingClient,
    hostKey?: string,
  ) {
    super();
    this._hostKey = hostKey ?? null;
  }

  /** The host's peer id (null before joining, and in a private pair room). */
  get hostId(): string | null {
    return this._hostId;
  }
  get isHost(): boolean {
    return this._hostId !== null && this._hostId === this.selfId;
  }
  get access(): RoomAccess {
    return this._access;
  }
  /** (Host) the lobby as last reported. */
  get waiters(): LobbyWaiter[] {
    return this._waiters;
  }
  /** The latest host key we were given for this room (a rejoin presents it). */
  get hostKey(): string | null {
    return this._hostKey;
  }

  /** Our seat is new (`joined`): start from what it says. */
  reset(joined: ServerMessageMap['joined']): void {
    this.selfId = joined.self;
    this._access = joined.access ?? OPEN;
    this._waiters = [];
    if (joined.hostKey) {
      this.keep(joined.hostKey);
    }
    this.setHost(joined.host ?? null);
    this.emit('access', this._access);
  }

  /** A host message from the server (the room passes them on). */
  handleMessage(m: ServerMessage): void {
    switch (m.type) {
      case 'host-changed':
        if (m.hostKey) {
          this.keep(m.hostKey);
        }
        this.setHost(m.host);
        break;
      case 'room-access':
        this._access = m.access;
        this.emit('access', m.access);
        break;
      case 'lobby':
        this._waiters = m.waiters;
        this.emit('lobby', m.waiters);
        break;
      default:
        break;
    }
  }

  /** Set a password (or null: none); people already in stay. */
  async setPassword(password: string | null): Promise<RoomAccess> {
    return this.settings({ password });
  }

  /** Lock the room (nobody new may join) or unlock it. */
  async setLocked(locked: boolean): Promise<RoomAccess> {
    return this.settings({ locked });
  }

  /** Hold newcomers in the lobby; turning it off lets everyone waiting in. */
  async setLobby(lobby: boolean): Promise<RoomAccess> {
    return this.settings({ lobby });
  }

  /** Let a waiter in (true) or turn them away. */
  async answer(waiterId: string, admit: boolean): Promise<void> {
    const m = await this.signaling.request(
      { type: 'lobby-answer', waiter: waiterId, admit },
      'lobby',
    );
    this.handleMessage(m);
  }

  /** Ask a participant to mute: their mic turns off and they are told; they may unmute. */
  askToMute(peerId: string): void {
    this.signaling.send({ type: 'mute-request', peer: peerId });
  }

  /** Remove a participant from the room (lock it too, to keep them out). */
  remove(peerId: string): void {
    this.signaling.send({ type: 'remove-peer', peer: peerId });
  }

  /** End the room for everyone in it and in its lobby. */
  endForAll(): void {
    this.signaling.send({ type: 'end-room' });
  }

  /** We left the room. */
  clear(): void {
    this.selfId = null;
    this._waiters = [];
    this.setHost(null);
  }

  private async settings(s: {
    password?: string | null;
    locked?: boolean;
    lobby?: boolean;
  }): Promise<RoomAccess> {
    if (!this.isHost) {
      throw new ParleyError('not_host', 'only the host of this room may do that');
    }
    const m = await this.signaling.request({ type: 'room-settings', ...s }, 'room-access');
    this.handleMessage(m);
    return m.access;
  }

  private keep(key: string): void {
    this._hostKey = key;
    this.emit('host-key', key);
  }

  private setHost(hostId: string | null): void {
    if (hostId === this._hostId) {
      return;
    }
    this._hostId = hostId;
    this.emit('host-changed', hostId, this.isHost);
  }
}
