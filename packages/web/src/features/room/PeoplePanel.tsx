import type { LobbyWaiter, RoomAccess, RoomHosting } from '@parley/client';
import { Icon } from '../../ui/Icon';
import { HostSettings } from '../hosting/HostSettings';
import '../hosting/hosting.css';
import { avatarHue, initials, type TileModel } from './tile-model';
import { useT } from '../../i18n/i18n';

/** What the People panel knows about hosting: who hosts, and the host's controls when it is us. */
export interface PeopleHosting {
  hostId: string | null;
  /** Set when we are the host. */
  controls: { hosting: RoomHosting; access: RoomAccess; waiters: LobbyWaiter[] } | null;
}

/**
 * Who is in the call, with their mic and camera state and raised hands (first). The host
 * sees the lobby and the room's access on top, and per person "Ask to mute" and "Remove".
 */
export function PeoplePanel({ tiles, hosting }: { tiles: TileModel[]; hosting?: PeopleHosting }) {
  const i18n = useT();
  const controls = hosting?.controls ?? null;
  const hostId = hosting?.hostId ?? null;
  const isHost = (t: TileModel): boolean =>
    hostId !== null && (t.isSelf ? controls !== null : t.id === hostId);
  return (
    <>
      {controls ? <HostSettings {...controls} /> : null}
      <ul className="people">
        {[...tiles.filter((t) => t.hand), ...tiles.filter((t) => !t.hand)].map((t) => (
          <li className="people__row" key={t.id} data-testid="people-row" data-name={t.name}>
            <span
              className="people__avatar"
              style={{ background: `hsl(${avatarHue(t.id + t.name)} 38% 34%)` }}
              aria-hidden="true"
            >
              {initials(t.name)}
            </span>
            <span className="people__name">
              {t.isSelf ? i18n.t('room.you', { name: t.name }) : t.name}
              {isHost(t) ? (
                <span className="people__host" data-testid="people-host">
                  {i18n.t('room.host')}
                </span>
              ) : null}
            </span>
            <span className="people__state">
              {t.hand ? (
                <span
                  className="people__hand"
                  title={i18n.t('room.hand.raised')}
                  data-testid="people-hand"
                >
                  <Icon name="hand" size={16} />
                </span>
              ) : null}
              <span
                className={t.audioOn ? '' : 'is-off'}
                title={t.audioOn ? i18n.t('room.micOn') : i18n.t('room.micOff')}
              >
                <Icon name={t.audioOn ? 'mic' : 'mic-off'} size={16} />
              </span>
              <span
                className={t.videoOn ? '' : 'is-off'}
                title={t.videoOn ? i18n.t('room.cameraOn') : i18n.t('room.cameraOff')}
              >
                <Icon name={t.videoOn ? 'camera' : 'camera-off'} size={16} />
              </span>
            </span>
            {controls && !t.isSelf ? (
              <span className="people__actions">
                <button
                  className="btn btn--ghost btn--small"
                  disabled={!t.audioOn}
                  onClick={() => controls.hosting.askToMute(t.id)}
                  aria-label={i18n.t('room.askMute.label', { name: t.name })}
                  data-testid="ask-mute"
                >
                  {i18n.t('room.askMute')}
                </button>
                <button
                  className="btn btn--danger btn--small"
                  onClick={() => controls.hosting.remove(t.id)}
                  aria-label={i18n.t('room.remove.label', { name: t.name })}
                  data-testid="remove-person"
                >
                  {i18n.t('room.remove')}
                </button>
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}
