import type { ReactNode } from 'react';
import { Icon } from '../../ui/Icon';
import { VideoView } from '../../ui/VideoView';
import { avatarHue, initials, type TileConnection, type TileModel } from './tile-model';
import { useT, type MessageKey } from '../../i18n/i18n';

const CONNECTION_LABEL: Record<Exclude<TileConnection, 'connected'>, MessageKey> = {
  connecting: 'tile.connecting',
  reconnecting: 'tile.reconnecting',
  failed: 'tile.failed',
};

/**
 * One person in the call: their video, or their initials when the camera is off;
 * name and mic state at the bottom; connection trouble at the top. `overlay` is the
 * top-right corner reserved for per-tile extras such as a quality indicator.
 */
export function Tile({
  tile,
  width,
  height,
  overlay,
  pinned,
  onTogglePin,
}: {
  tile: TileModel;
  width: number;
  height: number;
  overlay?: ReactNode;
  /** This tile is the one the viewer pinned. */
  pinned?: boolean;
  /** Shows the pin button; absent where pinning means nothing (a call of one). */
  onTogglePin?: (id: string) => void;
}) {
  const { t } = useT();
  const screen = tile.kind === 'screen';
  const label = tile.isSelf && !screen ? t('room.you', { name: tile.name }) : tile.name;
  const classes = ['tile', tile.activeSpeaker && 'tile--speaking', screen && 'tile--screen'];
  return (
    <figure
      className={classes.filter(Boolean).join(' ')}
      style={{ width, height }}
      data-testid="tile"
      data-kind={tile.kind}
      data-pinned={pinned ? 'true' : 'false'}
      data-tile-id={tile.id}
      data-name={tile.name}
      data-self={tile.isSelf ? 'true' : 'false'}
      data-muted={tile.audioOn ? 'false' : 'true'}
      data-camera-off={tile.videoOn ? 'false' : 'true'}
      data-connection={tile.connection}
      data-speaking={tile.speaking ? 'true' : 'false'}
      data-active-speaker={tile.activeSpeaker ? 'true' : 'false'}
      data-hand={tile.hand ? 'true' : 'false'}
      data-video-paused={tile.videoPaused ? 'true' : 'false'}
      aria-label={label}
    >
      {(tile.videoOn || tile.videoWaiting) && !tile.videoPaused ? (
        <VideoView
          track={tile.video}
          // A screen is never mirrored (text would read backwards), nor cropped.
          mirror={tile.isSelf && !screen}
          className={[
            'tile__video',
            screen && 'tile__video--contain',
            !tile.videoOn && 'tile__video--waiting',
          ]
            .filter(Boolean)
            .join(' ')}
        />
      ) : null}
      {tile.videoOn && !tile.videoPaused ? null : (
        // A paused video shows the initials and says why, never a frozen last frame; a
        // video still waiting for its path shows them over it.
        <div
          className="tile__avatar-wrap"
          data-testid={tile.videoOn ? 'video-paused' : 'camera-off'}
        >
          <div
            className="tile__avatar"
            style={{ background: `hsl(${avatarHue(tile.id + tile.name)} 38% 34%)` }}
            aria-hidden="true"
          >
            {initials(tile.name)}
          </div>
          {tile.videoOn ? (
            <span className="tile__paused" role="status">
              {t('tile.paused')}
            </span>
          ) : null}
        </div>
      )}

      {tile.connection !== 'connected' ? (
        <div className={`tile__connection tile__connection--${tile.connection}`} role="status">
          <span className="tile__connection-dot" aria-hidden="true" />
          {t(CONNECTION_LABEL[tile.connection])}
        </div>
      ) : null}

      {tile.hand ? (
        <span className="tile__hand" data-testid="hand" role="status" title={t('room.hand.raised')}>
          <Icon name="hand" size={16} />
          <span className="tile__hand-text">{t('room.hand.raised')}</span>
        </span>
      ) : null}

      <div className="tile__overlay">{overlay}</div>

      {onTogglePin ? (
        <button
          type="button"
          className={`tile__pin${pinned ? ' tile__pin--on' : ''}`}
          onClick={() => onTogglePin(tile.id)}
          aria-pressed={pinned ? 'true' : 'false'}
          aria-label={
            pinned ? t('tile.unpin.label', { name: label }) : t('tile.pin.label', { name: label })
          }
          title={pinned ? t('tile.unpin') : t('tile.pin')}
          data-testid="pin"
        >
          <Icon name="pin" size={16} />
        </button>
      ) : null}

      <figcaption className="tile__name">
        {!tile.audioOn && !screen ? (
          <span
            className="tile__muted"
            data-testid="muted"
            role="img"
            aria-label={t('tile.micOff')}
            title={t('tile.micOff')}
          >
            <Icon name="mic-off" size={14} />
          </span>
        ) : null}
        <span className="tile__name-text">{label}</span>
      </figcaption>
    </figure>
  );
}
