import { ControlButton } from '../../ui/ControlButton';
import type { ScreenShareState } from './use-screen-share';
import { useT } from '../../i18n/i18n';

/**
 * Share screen / Stop sharing, beside the camera. Where the browser cannot share, the
 * button looks disabled but still answers a click with why (a disabled button would
 * explain nothing on a phone, where there is no hover).
 */
export function ScreenShareButton({ share, small }: { share: ScreenShareState; small?: boolean }) {
  const { t } = useT();
  const sharing = share.track !== null;
  return (
    <span className={share.supported ? undefined : 'control-wrap control-wrap--unavailable'}>
      <ControlButton
        icon={sharing ? 'screen-off' : 'screen'}
        label={sharing ? t('screen.stop') : t('screen.start')}
        title={share.supported ? undefined : t('screen.unavailable')}
        onClick={share.toggle}
        pressed={sharing}
        tone={sharing ? 'active' : undefined}
        small={small}
        disabled={share.pending}
        testId="toggle-screen"
      />
    </span>
  );
}
