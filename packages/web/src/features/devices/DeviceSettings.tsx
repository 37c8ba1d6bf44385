import { useId } from 'react';
import type { LocalKind, NoiseSuppressionState } from '../media/local-media';
import { deviceLabel, type DeviceEntry } from './device-choice';
import { savePrefs, type DeviceKind } from './device-prefs';
import { canChooseSpeaker, setSpeaker, useSpeakerId } from './speaker';
import './devices.css';
import { useT, type MessageKey } from '../../i18n/i18n';

const NS_TEXT: Record<NoiseSuppressionState['state'], MessageKey> = {
  off: 'devices.noise.off',
  starting: 'devices.noise.starting',
  running: 'devices.noise.on',
  failed: 'devices.noise.failed',
};

/**
 * Microphone, camera and speaker pickers and the noise suppression switch, shared by
 * the pre-join page, the room's settings dialog and direct calls.
 */
export function DeviceSettings({
  devices,
  current,
  onPick,
  noiseSuppression,
  onNoiseSuppression,
}: {
  devices: DeviceEntry[];
  /** The device each kind uses now (null: none, or not known). */
  current: Record<LocalKind, string | null>;
  onPick: (kind: LocalKind, device: DeviceEntry) => void;
  noiseSuppression: NoiseSuppressionState;
  onNoiseSuppression: (on: boolean) => void;
}) {
  const { t } = useT();
  const id = useId();
  const speakerId = useSpeakerId();
  const select = (kind: DeviceKind, value: string, onChange: (d: DeviceEntry) => void) => {
    const list = devices.filter((d) => d.kind === kind);
    const noun = t(`devices.kind.${kind}`);
    return (
      <label className="field" htmlFor={`${id}-${kind}`}>
        <span className="field__label">{noun}</span>
        <select
          id={`${id}-${kind}`}
          className="input device-select"
          value={list.some((d) => d.deviceId === value) ? value : ''}
          disabled={list.length === 0}
          data-testid={`device-${kind}`}
          onChange={(e) => {
            const device = list.find((d) => d.deviceId === e.target.value);
            if (device) {
              onChange(device);
            }
          }}
        >
          {list.length === 0 || !list.some((d) => d.deviceId === value) ? (
            <option value="">
              {list.length === 0 ? t(`devices.none.${kind}`) : t('devices.default')}
            </option>
          ) : null}
          {list.map((d, i) => (
            <option key={d.deviceId} value={d.deviceId}>
              {deviceLabel(d, i, kind)}
            </option>
          ))}
        </select>
      </label>
    );
  };
  return (
    <div className="device-settings" data-testid="device-settings">
      {select('audioinput', current.audio ?? '', (d) => onPick('audio', d))}
      {select('videoinput', current.video ?? '', (d) => onPick('video', d))}
      {canChooseSpeaker
        ? select('audiooutput', speakerId || 'default', (d) => {
            setSpeaker(d.deviceId);
            savePrefs({ audiooutput: { id: d.deviceId, label: d.label } });
          })
        : null}
      <label className="device-settings__switch">
        <input
          type="checkbox"
          checked={noiseSuppression.on}
          onChange={(e) => onNoiseSuppression(e.target.checked)}
          data-testid="noise-suppression"
          data-state={noiseSuppression.state}
        />
        <span>
          <strong>{t('devices.noise')}</strong>
          <span className="device-settings__hint">
            {t('devices.noise.hint', {
              state: t(noiseSuppression.on ? NS_TEXT[noiseSuppression.state] : 'devices.noise.off'),
            })}
          </span>
        </span>
      </label>
    </div>
  );
}
