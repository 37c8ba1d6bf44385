import { Icon } from '../../ui/Icon';
import { useAudioLevel } from '../media/use-audio-level';
import { useT } from '../../i18n/i18n';

const BARS = 5;

/** Five bars that light up with the microphone's level. */
export function MicMeter({ track, on }: { track: MediaStreamTrack | null; on: boolean }) {
  const { t } = useT();
  const level = useAudioLevel(track, on);
  const lit = Math.round(level * BARS);
  return (
    <span
      className="mic-meter"
      role="meter"
      aria-label={t('devices.micLevel')}
      aria-valuemin={0}
      aria-valuemax={BARS}
      aria-valuenow={lit}
    >
      <Icon name="mic" size={14} />
      {Array.from({ length: BARS }, (_, i) => (
        <span key={i} className={`mic-meter__bar${i < lit ? ' is-lit' : ''}`} />
      ))}
    </span>
  );
}
