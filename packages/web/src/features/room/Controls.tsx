import type { ReactNode } from 'react';
import { ControlButton } from '../../ui/ControlButton';
import { Icon, type IconName } from '../../ui/Icon';
import type { LocalMediaSnapshot } from '../media/local-media';

/** A side panel the call can open (people today; chat and others plug in the same way). */
export interface PanelSpec {
  id: string;
  label: string;
  icon: IconName;
  /** A small count on the button (e.g. people in the room, unread messages). */
  badge?: number;
  /** The panel's content, shown in the SidePanel while it is open. */
  render: () => ReactNode;
}

/** The bar under the call: mic, camera, panels, invite, leave. */
export function Controls({
  media,
  onToggleMic,
  onToggleCamera,
  panels,
  openPanel,
  onTogglePanel,
  onInvite,
  onLeave,
}: {
  media: LocalMediaSnapshot;
  onToggleMic: () => void;
  onToggleCamera: () => void;
  panels: PanelSpec[];
  openPanel: string | null;
  onTogglePanel: (id: string) => void;
  onInvite: () => void;
  onLeave: () => void;
}) {
  const micOn = media.audio.track !== null && media.audio.on;
  const camOn = media.video.track !== null;
  return (
    <nav className="controls" aria-label="Call controls">
      <div className="controls__group">
        <ControlButton
          icon={micOn ? 'mic' : 'mic-off'}
          label={micOn ? 'Turn off microphone' : 'Turn on microphone'}
          onClick={onToggleMic}
          pressed={!micOn}
          tone={micOn ? undefined : 'off'}
          warn={media.audio.problem !== null}
          disabled={media.audio.pending}
          testId="toggle-mic"
        />
        <ControlButton
          icon={camOn ? 'camera' : 'camera-off'}
          label={camOn ? 'Turn off camera' : 'Turn on camera'}
          onClick={onToggleCamera}
          pressed={!camOn}
          tone={camOn ? undefined : 'off'}
          warn={media.video.problem !== null}
          disabled={media.video.pending}
          testId="toggle-camera"
        />
      </div>
      <div className="controls__group">
        {panels.map((panel) => (
          <span className="control-wrap" key={panel.id}>
            <ControlButton
              icon={panel.icon}
              label={panel.label}
              onClick={() => onTogglePanel(panel.id)}
              pressed={openPanel === panel.id}
              tone={openPanel === panel.id ? 'active' : undefined}
              testId={`panel-${panel.id}`}
            />
            {panel.badge ? <span className="control__badge">{panel.badge}</span> : null}
          </span>
        ))}
        <ControlButton icon="link" label="Copy invite link" onClick={onInvite} testId="invite" />
      </div>
      <div className="controls__group">
        <button
          className="control control--leave"
          onClick={onLeave}
          aria-label="Leave call"
          title="Leave call"
          data-testid="leave"
        >
          <Icon name="leave" size={22} />
          <span className="control__text">Leave</span>
        </button>
      </div>
    </nav>
  );
}
