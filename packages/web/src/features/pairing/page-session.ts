import { AccountsApi, SignalingClient } from '@parley/client';
import type { PublicUser } from '@parley/protocol';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { signalingUrl } from '../room/signaling';

export interface PageSession {
  /** The page's one signaling client: meet or board messages, then the private room's. */
  signaling: SignalingClient;
  /** The signed-in account, or null for a guest. */
  user: PublicUser | null;
}

/**
 * One WebSocket for a page that pairs people (meet, the board). A pairing's private room
 * is granted to this session, so the call must run on the same client. Signed-in users
 * connect as their account (their name is the account's); guests as guests. Null until
 * the account check answers.
 */
export function usePageSession(): PageSession | null {
  const [session, setSession] = useState<PageSession | null>(null);
  useEffect(() => {
    let current: PageSession | null = null;
    let cancelled = false;
    void new AccountsApi()
      .me()
      .catch(() => null)
      .then((user) => {
        if (cancelled) {
          return;
        }
        const signaling = new SignalingClient({
          url: signalingUrl(user ? '?account=1' : ''),
        });
        current = { signaling, user };
        void signaling.connect().catch(() => undefined);
        setSession(current);
      });
    return () => {
      cancelled = true;
      current?.signaling.close();
    };
  }, []);
  return session;
}

/** The signaling client's state, re-rendering on change. */
export function useSignalingState(signaling: SignalingClient): SignalingClient['state'] {
  return useSyncExternalStore(
    (onChange) => signaling.on('state', onChange),
    () => signaling.state,
  );
}
