import type { ReactNode } from 'react';
import { ControlButton } from '../../ui/ControlButton';
import { Icon, type IconName } from '../../ui/Icon';
import type { LocalMediaSnapshot } from '../media/local-media';
import { MoreMenu, type MoreItem } from './MoreMenu';
import { useT } from '../../i18n/i18n';

/** A side panel the call can open (people today; chat and others plug in the same way). */
export interface PanelSpec {
  id: string;
  label: string;
  icon: IconName;
  /** A small count on the button (e.g. people in the room, unread messages). */
  badge?: number;
  /** The panel's content, shown in the SidePanel while it is open. */
  render: () => ReactNode;
  /** On narrow screens its button moves into the More menu (the bar stays one row). */
  narrowInMore?: boolean;
}

/** The bar under the call: mic, camera, panels, invite (or the page's own actions), leave. */
export function Controls({
  media,
  onToggleMic,
  onToggleCamera,
  screenShare,
  onSettings,
  panels,
  openPanel,
  onTogglePanel,
  onInvite,
  actions,
  onLeave,
  hand,
  more = [],
}: {
  media: LocalMediaSnapshot;
  onToggleMic: () => void;
  onToggleCamera: () => void;
  /**
   * The screen share button, next to the camera (features/screen), and the same action
   * as a More item for narrow screens, where the button leaves the bar.
   */
  screenShare?: { button: ReactNode; item: MoreItem };
  /** Opens the device settings (microphone, camera, speaker, noise suppression). */
  onSettings?: () => void;
  panels: PanelSpec[];
  openPanel: string | null;
  onTogglePanel: (id: string) => void;
  /** Absent in rooms that cannot be shared (meet, the board). */
  onInvite?: () => void;
  /** Extra buttons of the page (meet: Next, Report, Block). */
  actions?: ReactNode;
  onLeave: () => void;
  /** Raise hand: absent where the page has no room to raise it in. */
  hand?: { raised: boolean; onToggle: () => void };
  /** Less-used actions, behind "More". */
  more?: MoreItem[];
}) {
  const { t } = useT();
  // What moves into More on a narrow screen, listed there only when it is hidden here.
  const narrowMore: MoreItem[] = [
    ...panels
      .filter((p) => p.narrowInMore)
      .map((p) => ({
        id: `panel-${p.id}`,
        label: p.badge ? t('room.panel.withBadge', { label: p.label, count: p.badge }) : p.label,
        icon: p.icon,
        onSelect: () => onTogglePanel(p.id),
        narrowOnly: true,
      })),
    ...(screenShare ? [{ ...screenShare.item, narrowOnly: true }] : []),
    ...(hand
      ? [
          {
            id: 'hand',
            label: hand.raised ? t('room.hand.lower') : t('room.hand.raise'),
            icon: 'hand' as const,
            onSelect: hand.onToggle,
            active: hand.raised,
            narrowOnly: true,
          },
        ]
      : []),
    ...(onSettings
      ? [
          {
            id: 'settings',
            label: t('devices.settings'),
            icon: 'settings' as const,
            onSelect: onSettings,
            narrowOnly: true,
          },
        ]
      : []),
    ...(onInvite
      ? [
          {
            id: 'invite',
            label: t('invite.copy'),
            icon: 'link' as const,
            onSelect: onInvite,
            narrowOnly: true,
          },
        ]
      : []),
  ];
  const moreItems = [...more, ...narrowMore];
  const micOn = media.audio.track !== null && media.audio.on;
  const camOn = media.video.track !== null;
  return (
    <nav
      className={`controls${actions ? ' controls--actions' : ''}`}
      aria-label={t('room.controls')}
    >
      <div className="controls__group">
        <ControlButton
          icon={micOn ? 'mic' : 'mic-off'}
          label={micOn ? t('media.mic.turnOff') : t('media.mic.turnOn')}
          onClick={onToggleMic}
          pressed={!micOn}
          tone={micOn ? undefined : 'off'}
          warn={media.audio.problem !== null}
          disabled={media.audio.pending}
          testId="toggle-mic"
        />
        <ControlButton
          icon={camOn ? 'camera' : 'camera-off'}
          label={camOn ? t('media.camera.turnOff') : t('media.camera.turnOn')}
          onClick={onToggleCamera}
          pressed={!camOn}
          tone={camOn ? undefined : 'off'}
          warn={media.video.problem !== null}
          disabled={media.video.pending}
          testId="toggle-camera"
        />
        {/* On a phone these three move into More, so the bar stays one row. */}
        {screenShare ? (
          <span className="control-wrap control--wide-only">{screenShare.button}</span>
        ) : null}
        {hand ? (
          <span className="control-wrap control--wide-only">
            <ControlButton
              icon="hand"
              label={hand.raised ? t('room.hand.lower') : t('room.hand.raise')}
              onClick={hand.onToggle}
              pressed={hand.raised}
              tone={hand.raised ? 'active' : undefined}
              testId="toggle-hand"
            />
          </span>
        ) : null}
        {onSettings ? (
          <span className="control-wrap control--wide-only">
            <ControlButton
              icon="settings"
              label={t('devices.settings')}
              onClick={onSettings}
              testId="open-settings"
            />
          </span>
        ) : null}
      </div>
      <div className="controls__group">
        {panels.map((panel) => (
          <span
            className={`control-wrap${panel.narrowInMore ? ' control--wide-only' : ''}`}
            key={panel.id}
          >
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
        {onInvite ? (
          <span className="control-wrap control--wide-only">
            <ControlButton
              icon="link"
              label={t('invite.copy')}
              onClick={onInvite}
              testId="invite"
            />
          </span>
        ) : null}
        {moreItems.length > 0 ? <MoreMenu items={moreItems} /> : null}
      </div>
      {actions ? <div className="controls__group">{actions}</div> : null}
      <div className="controls__group">
        <button
          className="control control--leave"
          onClick={onLeave}
          aria-label={t('room.leave.label')}
          title={t('room.leave.label')}
          data-testid="leave"
        >
          <Icon name="leave" size={22} />
          <span className="control__text">{t('room.leave')}</span>
        </button>
      </div>
    </nav>
  );
}
