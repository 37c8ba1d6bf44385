import { Icon } from '../../ui/Icon';
import { avatarHue, initials, type TileModel } from './tile-model';

/** Who is in the call, with their mic and camera state. */
export function PeoplePanel({ tiles }: { tiles: TileModel[] }) {
  return (
    <ul className="people">
      {tiles.map((t) => (
        <li className="people__row" key={t.id}>
          <span
            className="people__avatar"
            style={{ background: `hsl(${avatarHue(t.id + t.name)} 38% 34%)` }}
            aria-hidden="true"
          >
            {initials(t.name)}
          </span>
          <span className="people__name">{t.isSelf ? `${t.name} (you)` : t.name}</span>
          <span className="people__state">
            <span className={t.audioOn ? '' : 'is-off'} title={t.audioOn ? 'Mic on' : 'Mic off'}>
              <Icon name={t.audioOn ? 'mic' : 'mic-off'} size={16} />
            </span>
            <span
              className={t.videoOn ? '' : 'is-off'}
              title={t.videoOn ? 'Camera on' : 'Camera off'}
            >
              <Icon name={t.videoOn ? 'camera' : 'camera-off'} size={16} />
            </span>
          </span>
        </li>
      ))}
    </ul>
  );
}
