import { ControlButton } from '../../ui/ControlButton';
import type { ScreenShareState } from './use-screen-share';

/**
 * Share screen / Stop sharing, beside the camera. Where the browser cannot share, the
 * button looks disabled but still answers a click with why (a disabled button would
 * explain nothing on a phone, where there is no hover).
 */
export function ScreenShareButton({ share, small }: { share: ScreenShareState; small?: boolean }) {
  const sharing = share.track !== null;
  return (
    <span className={share.supported ? undefined : 'control-wrap control-wrap--unavailable'}>
      <ControlButton
        icon={sharing ? 'screen-off' : 'screen'}
        label={sharing ? 'Stop sharing screen' : 'Share screen'}
        title={share.supported ? undefined : "Screen sharing isn't available in this browser"}
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
