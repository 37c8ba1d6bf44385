import type { ReactNode } from 'react';
import { Icon } from '../../ui/Icon';
import { VideoView } from '../../ui/VideoView';
import { avatarHue, initials, type TileConnection, type TileModel } from './tile-model';

const CONNECTION_LABEL: Record<Exclude<TileConnection, 'connected'>, string> = {
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  failed: 'Connection lost',
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
}: {
  tile: TileModel;
  width: number;
  height: number;
  overlay?: ReactNode;
}) {
  const label = tile.isSelf ? `${tile.name} (you)` : tile.name;
  return (
    <figure
      className={`tile${tile.speaking ? ' tile--speaking' : ''}`}
      style={{ width, height }}
      data-testid="tile"
      data-name={tile.name}
      data-self={tile.isSelf ? 'true' : 'false'}
      data-muted={tile.audioOn ? 'false' : 'true'}
      data-camera-off={tile.videoOn ? 'false' : 'true'}
      data-connection={tile.connection}
      data-speaking={tile.speaking ? 'true' : 'false'}
      aria-label={label}
    >
      {tile.videoOn ? (
        <VideoView track={tile.video} mirror={tile.isSelf} className="tile__video" />
      ) : (
        <div className="tile__avatar-wrap" data-testid="camera-off">
          <div
            className="tile__avatar"
            style={{ background: `hsl(${avatarHue(tile.id + tile.name)} 38% 34%)` }}
            aria-hidden="true"
          >
            {initials(tile.name)}
          </div>
        </div>
      )}

      {tile.connection !== 'connected' ? (
        <div className={`tile__connection tile__connection--${tile.connection}`} role="status">
          <span className="tile__connection-dot" aria-hidden="true" />
          {CONNECTION_LABEL[tile.connection]}
        </div>
      ) : null}

      <div className="tile__overlay">{overlay}</div>

      <figcaption className="tile__name">
        {!tile.audioOn ? (
          <span
            className="tile__muted"
            data-testid="muted"
            aria-label="microphone off"
            title="Microphone off"
          >
            <Icon name="mic-off" size={14} />
          </span>
        ) : null}
        <span className="tile__name-text">{label}</span>
      </figcaption>
    </figure>
  );
}
