import { useEffect, useState } from 'react';
import { BoardClient, type BoardPairing, type SignalingClient } from '@parley/client';
import type { BoardLimits, BoardPost, BoardRemovedReason } from '@parley/protocol';

export interface BoardView {
  client: BoardClient;
  posts: readonly BoardPost[];
  limits: BoardLimits | null;
  /** The call we were paired into, until it is over. */
  pairing: BoardPairing | null;
  endPairing: () => void;
  /** Why our own post went away without our withdrawing it (expired…), once. */
  ownRemoved: BoardRemovedReason | null;
}

/**
 * The board as this page watches it: live posts from the first time the connection
 * opens, and the pairing when one of ours is answered or our
 * answer wins.
 */
export function useBoard(signaling: SignalingClient): BoardView {
  const [client] = useState(() => new BoardClient(signaling));
  const [posts, setPosts] = useState<readonly BoardPost[]>([]);
  const [limits, setLimits] = useState<BoardLimits | null>(null);
  const [pairing, setPairing] = useState<BoardPairing | null>(null);
  const [ownRemoved, setOwnRemoved] = useState<BoardRemovedReason | null>(null);

  useEffect(() => {
    // Once: after a reconnection the server keeps the watch (resumed) or the client
    // watches again by itself (a new session).
    let watched = false;
    const watch = (): void => {
      if (watched) {
        return;
      }
      watched = true;
      void client
        .watch()
        .then(() => setLimits(client.limits))
        .catch(() => undefined);
    };
    const offs = [
      client.on('posts', setPosts),
      client.on('paired', setPairing),
      client.on('own-removed', (_id, reason) => setOwnRemoved(reason)),
      signaling.on('state', (s) => {
        if (s === 'open') {
          watch();
        }
      }),
    ];
    if (signaling.state === 'open') {
      watch();
    }
    return () => {
      for (const off of offs) {
        off();
      }
    };
  }, [client, signaling]);
  useEffect(() => () => client.close(), [client]);

  return {
    client,
    posts,
    limits,
    pairing,
    endPairing: () => setPairing(null),
    ownRemoved,
  };
}
