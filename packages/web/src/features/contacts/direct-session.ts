import {
  AccountsApi,
  CallClient,
  ParleyError,
  SignalingClient,
  type DirectCall,
  type IncomingCall,
} from '@parley/client';
import type {
  CallEndReason,
  CallMedia,
  Contact,
  PublicUser,
  ServerMessage,
} from '@parley/protocol';
import { signalingUrl } from '../room/signaling';
import { rememberedMedia } from '../devices/call-media';
import { errorPhrase } from '../../i18n/error-text';
import type { Phrase } from '../../i18n/phrase';

/** How the last call ended, shown to the user until dismissed. */
export interface CallOutcome {
  peer: PublicUser;
  /** A call that rang here and was not answered here. */
  incoming?: boolean;
  reason: CallEndReason;
  /** Seconds the call was connected (0 if it never was). */
  durationSec: number;
}

export interface DirectSnapshot {
  user: PublicUser;
  /** The WebSocket: calls and live updates need it open. */
  connection: SignalingClient['state'];
  contacts: Contact[];
  /** Calls ringing on this tab. */
  ringing: IncomingCall[];
  /** The call this tab takes part in. */
  call: DirectCall | null;
  /** When the current call became active here (local clock, for the timer). */
  activeSince: number | null;
  outcome: CallOutcome | null;
  /** Missed calls not looked at yet. */
  missedCalls: number;
  /** Something the user should read (a failed action), worded when shown. */
  problem: Phrase | null;
}

/**
 * The signed-in tab: one WebSocket (authenticated by the session cookie) carrying
 * presence, contact updates and calls; contacts and history over HTTP. A small store
 * with subscribe/getSnapshot for React, no React inside.
 */
export class DirectSession {
  readonly api = new AccountsApi();
  // Signed in: the socket asks for the account its session cookie belongs to.
  readonly signaling = new SignalingClient({ url: signalingUrl('?account=1') });
  // Calls open the microphone and camera this browser remembers (devices/call-media.ts).
  readonly calls = new CallClient(this.signaling, { getMedia: rememberedMedia });
  private snapshot: DirectSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly offs: (() => void)[] = [];
  private closed = false;

  constructor(user: PublicUser) {
    this.snapshot = {
      user,
      connection: 'idle',
      contacts: [],
      ringing: [],
      call: null,
      activeSince: null,
      outcome: null,
      missedCalls: 0,
      problem: null,
    };
    this.offs.push(
      this.signaling.on('state', (connection) => {
        this.update({ connection });
        // Live updates flow from now on; fetch once more to cover what happened before.
        if (connection === 'open') {
          void this.refresh();
        }
      }),
      this.signaling.on('message', (m) => this.onMessage(m)),
      // The server forgot us (long outage): presence and ringing start over.
      this.signaling.on('session-lost', () => void this.refresh()),
      this.calls.on('incoming', () => this.update({ ringing: this.calls.ringing })),
      this.calls.on('incoming-ended', (ring, reason) => {
        this.update({ ringing: this.calls.ringing });
        if (reason === 'declined') {
          return; // declined here or on another tab: nothing to tell
        }
        if (!this.snapshot.call) {
          this.update({
            outcome: { peer: ring.from, reason, durationSec: 0, incoming: true },
          });
        }
      }),
      this.calls.on('call', (call) => this.track(call)),
    );
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): DirectSnapshot => this.snapshot;

  private update(patch: Partial<DirectSnapshot>): void {
    if (this.closed) {
      return;
    }
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) {
      l();
    }
  }

  /**
   * A closed tab says goodbye at once (a clean close ends the server session now), so
   * contacts see it offline and a call in it ends for the other side without waiting
   * for the resume grace.
   */
  private readonly onPageHide = (): void => this.close();

  async start(): Promise<void> {
    window.addEventListener('pagehide', this.onPageHide);
    await Promise.all([this.signaling.connect(), this.refresh()]);
  }

  async refresh(): Promise<void> {
    await Promise.all([this.refreshContacts(), this.refreshMissed()]);
  }

  private async refreshContacts(): Promise<void> {
    try {
      this.update({ contacts: await this.api.contacts() });
    } catch (err) {
      this.fail(err);
    }
  }

  private async refreshMissed(): Promise<void> {
    try {
      this.update({ missedCalls: (await this.api.callHistory()).missedUnseen });
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    if (err instanceof ParleyError && err.code === 'unauthenticated') {
      location.assign('/signin');
      return;
    }
    // Shown from the error's stable code, in the language of the moment.
    this.update({ problem: errorPhrase(err) });
  }

  dismissProblem(): void {
    this.update({ problem: null });
  }

  private onMessage(m: ServerMessage): void {
    if (m.type === 'signed-out') {
      // Signed out in another tab, password changed elsewhere, or the sign-in ran out:
      // nothing here works any more, so go and say why.
      location.assign(`/signin?why=${encodeURIComponent(m.reason)}`);
    } else if (m.type === 'presence') {
      this.update({
        contacts: this.snapshot.contacts.map((c) =>
          c.user.id === m.userId ? { ...c, presence: m.presence } : c,
        ),
      });
    } else if (m.type === 'calls-missed') {
      this.update({ missedCalls: m.missedUnseen });
    } else if (m.type === 'contact-update') {
      void this.refreshContacts();
    } else if (m.type === 'dm-unread') {
      this.setUnread(m.with, m.unread);
    } else if (m.type === 'dm' && m.message.to === this.snapshot.user.id) {
      const c = this.snapshot.contacts.find((x) => x.user.id === m.message.from);
      if (c) {
        this.setUnread(c.user.id, c.unread + 1);
      }
    }
  }

  setUnread(userId: string, unread: number): void {
    this.update({
      contacts: this.snapshot.contacts.map((c) => (c.user.id === userId ? { ...c, unread } : c)),
    });
  }

  /** Run a contact action; a failure becomes `problem`, the list refreshes either way. */
  async act(action: (api: AccountsApi) => Promise<unknown>): Promise<boolean> {
    try {
      await action(this.api);
      return true;
    } catch (err) {
      this.fail(err);
      return false;
    } finally {
      await this.refreshContacts();
    }
  }

  private track(call: DirectCall): void {
    // `ringing` too: calling someone who was ringing us answers their call (both at once).
    this.update({
      call,
      ringing: this.calls.ringing,
      outcome: null,
      activeSince: call.state === 'active' ? Date.now() : null,
    });
    const off = call.on('state', (state, reason) => {
      if (state === 'active') {
        this.update({ activeSince: Date.now() });
        return;
      }
      if (state === 'ended') {
        off();
        const since = this.snapshot.activeSince;
        this.update({
          call: null,
          activeSince: null,
          outcome: {
            peer: call.peer,
            reason: reason ?? 'failed',
            durationSec: since === null ? 0 : Math.round((Date.now() - since) / 1000),
          },
        });
      }
    });
  }

  /** A call or an answer is being set up (media being acquired): one at a time. */
  private starting = false;

  async call(peer: PublicUser, media: CallMedia): Promise<void> {
    if (this.snapshot.call || this.starting) {
      return;
    }
    this.starting = true;
    try {
      const call = await this.calls.call(peer, media);
      if (call.state === 'ended' && this.snapshot.call === call) {
        this.update({ call: null });
      }
    } catch (err) {
      this.fail(err);
    } finally {
      this.starting = false;
    }
  }

  async accept(id: string): Promise<void> {
    if (this.starting) {
      return;
    }
    this.starting = true;
    try {
      await this.calls.accept(id);
    } catch (err) {
      if (!(err instanceof ParleyError && err.code === 'call_not_ringing')) {
        this.fail(err);
      }
    } finally {
      this.starting = false;
      this.update({ ringing: this.calls.ringing });
    }
  }

  decline(id: string): void {
    this.calls.decline(id);
  }

  dismissOutcome(): void {
    this.update({ outcome: null });
  }

  async markCallsSeen(): Promise<void> {
    await this.api.markCallsSeen().catch(() => undefined);
    this.update({ missedCalls: 0 });
  }

  close(): void {
    if (this.closed) {
      return;
    }
    window.removeEventListener('pagehide', this.onPageHide);
    this.snapshot.call?.end();
    this.closed = true;
    this.offs.forEach((off) => off());
    this.calls.close();
    this.signaling.close();
  }
}
