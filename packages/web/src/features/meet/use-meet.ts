import { useEffect, useState } from 'react';
import {
  MeetClient,
  type MeetQueueInfo,
  type MeetSnapshot,
  type SignalingClient,
} from '@parley/client';
import type { MeetMatch } from '@parley/protocol';

export interface MeetView {
  client: MeetClient;
  snapshot: MeetSnapshot;
  queue: MeetQueueInfo | null;
  /** The last match we had, so it can still be reported after it ended. */
  lastMatch: MeetMatch | null;
}

/** The meet state of this page's session, re-rendering on every change. */
export function useMeet(signaling: SignalingClient): MeetView {
  const [client] = useState(() => new MeetClient(signaling));
  const [snapshot, setSnapshot] = useState<MeetSnapshot>(client.state);
  const [queue, setQueue] = useState<MeetQueueInfo | null>(null);
  const [lastMatch, setLastMatch] = useState<MeetMatch | null>(null);
  useEffect(() => {
    const offs = [
      client.on('state', (s) => {
        setSnapshot(s);
        setQueue(client.queue);
        if (s.match) {
          setLastMatch(s.match);
        }
      }),
      client.on('queue', setQueue),
    ];
    return () => {
      for (const off of offs) {
        off();
      }
    };
  }, [client]);
  useEffect(() => () => client.close(), [client]);
  return { client, snapshot, queue, lastMatch };
}
