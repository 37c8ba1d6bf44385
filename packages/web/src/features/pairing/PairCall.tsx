import type { ReactNode } from 'react';
import type { SignalingClient } from '@parley/client';
import type { LocalMedia, LocalMediaSnapshot } from '../media/local-media';
import { CallView } from '../room/CallView';
import { useT } from '../../i18n/i18n';

/**
 * A call in a private two-seat room (a meet match, an answered board post): the room
 * call view on the page's own signaling client, titled with the other person's name,
 * with the page's own actions instead of an invite link.
 */
export function PairCall({
  roomId,
  name,
  peerName,
  signaling,
  media,
  snapshot,
  actions,
  notice,
  onLeave,
  onFatal,
}: {
  roomId: string;
  name: string;
  peerName: string;
  signaling: SignalingClient;
  media: LocalMedia;
  snapshot: LocalMediaSnapshot;
  actions?: ReactNode;
  notice?: ReactNode;
  onLeave: () => void;
  onFatal: (error: Error) => void;
}) {
  const { t } = useT();
  return (
    <CallView
      roomId={roomId}
      name={name}
      media={media}
      snapshot={snapshot}
      signaling={signaling}
      heading={t('pairing.heading', { name: peerName })}
      actions={actions}
      notice={notice}
      onLeave={onLeave}
      onFatal={onFatal}
    />
  );
}
