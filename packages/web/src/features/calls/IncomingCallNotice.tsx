import { useEffect, useState } from 'react';
import type { IncomingCall } from '@parley/client';
import { Icon } from '../../ui/Icon';
import { Ringtone } from './ringtone';
import { useT } from '../../i18n/i18n';

/**
 * "Ada is calling (video)": accept or decline, with a ringtone while shown. Every
 * signed-in tab of the callee shows it; it disappears when the call is answered on
 * another tab, cancelled or times out.
 */
export function IncomingCallNotice({
  call,
  onAccept,
  onDecline,
}: {
  call: IncomingCall;
  onAccept: () => void;
  onDecline: () => void;
}) {
  const { t } = useT();
  const [sound, setSound] = useState<Ringtone['state']>('stopped');
  useEffect(() => {
    const tone = new Ringtone();
    tone.start(setSound);
    // The tab's title and a system notification: notifications/use-incoming-call-alerts.ts.
    return () => tone.stop();
  }, [call.id]);

  const kind = call.media === 'video' ? t('contacts.videoCall') : t('contacts.voiceCall');
  return (
    <div
      className="incoming"
      role="alertdialog"
      aria-labelledby={`incoming-${call.id}`}
      data-testid="incoming-call"
      data-caller={call.from.username}
      data-media={call.media}
      data-ringtone={sound}
    >
      <div className="incoming__avatar" aria-hidden="true">
        {call.from.username.slice(0, 1).toUpperCase()}
      </div>
      <div className="incoming__text">
        <p className="incoming__name" id={`incoming-${call.id}`}>
          {call.from.username}
        </p>
        <p className="incoming__kind">
          <Icon name={call.media === 'video' ? 'camera' : 'mic'} size={16} /> {kind}
          {sound === 'blocked' ? ` · ${t('incoming.soundBlocked')}` : ''}
        </p>
      </div>
      <div className="incoming__actions">
        <button className="btn btn--danger" onClick={onDecline} data-testid="decline-call">
          <Icon name="close" size={18} /> {t('contacts.decline')}
        </button>
        <button className="btn btn--primary" onClick={onAccept} data-testid="accept-call">
          <Icon name="check" size={18} /> {t('contacts.accept')}
        </button>
      </div>
    </div>
  );
}
