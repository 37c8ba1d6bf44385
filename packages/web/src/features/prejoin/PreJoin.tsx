import { useEffect, useState, type FormEvent } from 'react';
import { cleanDisplayName } from '../../app/display-name';
import { navigate } from '../../app/router';
import { Brand } from '../../ui/Brand';
import { ControlButton } from '../../ui/ControlButton';
import { Icon } from '../../ui/Icon';
import { NameField } from '../../ui/NameField';
import { Notice } from '../../ui/Notice';
import { VideoView } from '../../ui/VideoView';
import type { LocalMedia, LocalMediaSnapshot } from '../media/local-media';
import { inviteLink } from '../landing/room-id';
import { describeMediaProblem } from '../media/media-problem';
import { initials } from '../room/tile-model';
import { MicMeter } from './MicMeter';
import { DeviceSettings } from '../devices/DeviceSettings';
import { DeviceNoticeView } from '../devices/DeviceNoticeView';
import { MicTest } from '../devices/MicTest';
import { useDevices } from '../devices/use-devices';
import { savePrefs } from '../devices/device-prefs';
import './prejoin.css';
import { useT } from '../../i18n/i18n';
import { phrase, type Phrase } from '../../i18n/phrase';
import { Rich } from '../../i18n/Rich';
import { LanguageSwitcher } from '../../ui/LanguageSwitcher';

/** Check yourself before entering: camera preview, mic and camera on or off, name. */
export function PreJoin({
  roomId,
  media,
  snapshot,
  initialName,
  onJoin,
}: {
  roomId: string;
  media: LocalMedia;
  snapshot: LocalMediaSnapshot;
  initialName: string;
  onJoin: (name: string) => void;
}) {
  const { t } = useT();
  const [name, setName] = useState(initialName);
  const [nameError, setNameError] = useState<Phrase | null>(null);
  const [copied, setCopied] = useState(false);
  const devices = useDevices(media);

  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(inviteLink(roomId));
      setCopied(true);
    } catch {
      // No clipboard (insecure context or refused): the address bar has the same link.
      window.prompt(t('prejoin.copyPrompt'), inviteLink(roomId));
    }
  };

  useEffect(() => {
    void media.start({ audio: true, video: true });
  }, [media]);

  const micOn = snapshot.audio.track !== null && snapshot.audio.on;
  const camOn = snapshot.video.track !== null;
  const starting = snapshot.audio.pending || snapshot.video.pending;

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const clean = cleanDisplayName(name);
    if (!clean) {
      setNameError(phrase('name.missing'));
      return;
    }
    onJoin(clean);
  };

  const problems = (['video', 'audio'] as const).flatMap((kind) => {
    const problem = snapshot[kind].problem;
    return problem ? [describeMediaProblem(kind, problem)] : [];
  });
  const joinHint =
    snapshot.audio.problem && snapshot.video.problem
      ? t('prejoin.hint.watchOnly')
      : snapshot.video.problem
        ? t('prejoin.hint.micOnly')
        : snapshot.audio.problem
          ? t('prejoin.hint.cameraOnly')
          : null;

  return (
    <div className="prejoin">
      <header className="prejoin__header page-header">
        <Brand onClick={() => navigate('/')} />
        <LanguageSwitcher />
      </header>
      <main className="prejoin__main">
        <section className="prejoin__preview" aria-label={t('prejoin.preview')}>
          {camOn ? (
            <VideoView track={snapshot.video.track} mirror className="prejoin__video" />
          ) : (
            <div className="prejoin__placeholder">
              <div className="prejoin__avatar">{initials(cleanDisplayName(name) || '?')}</div>
              <p>{snapshot.video.pending ? t('prejoin.cameraStarting') : t('prejoin.cameraOff')}</p>
            </div>
          )}
          <MicMeter track={snapshot.audio.track} on={micOn} />
          <div className="prejoin__toggles">
            <ControlButton
              icon={micOn ? 'mic' : 'mic-off'}
              label={micOn ? t('media.mic.turnOff') : t('media.mic.turnOn')}
              onClick={() => void media.setAudio(!micOn)}
              pressed={!micOn}
              tone={micOn ? undefined : 'off'}
              disabled={snapshot.audio.pending}
              testId="prejoin-mic"
            />
            <ControlButton
              icon={camOn ? 'camera' : 'camera-off'}
              label={camOn ? t('media.camera.turnOff') : t('media.camera.turnOn')}
              onClick={() => void media.setVideo(!camOn)}
              pressed={!camOn}
              tone={camOn ? undefined : 'off'}
              disabled={snapshot.video.pending}
              testId="prejoin-camera"
            />
          </div>
        </section>

        <form className="card prejoin__card" onSubmit={submit} noValidate>
          <div>
            <h1 className="card__title">{t('prejoin.title')}</h1>
            <p className="card__text prejoin__room">
              <Rich
                text={t('prejoin.room')}
                values={{ room: <span title={roomId}>{roomId}</span> }}
              />
            </p>
          </div>
          <NameField
            value={name}
            error={nameError}
            autoFocus={!name}
            onChange={(next) => {
              setName(next);
              setNameError(null);
            }}
          />
          <DeviceNoticeView
            notice={devices.notice}
            onUse={(d) => void devices.pick(d.kind === 'videoinput' ? 'video' : 'audio', d)}
            onDismiss={devices.dismiss}
          />
          <DeviceSettings
            devices={devices.devices}
            current={{
              audio: snapshot.audio.deviceId ?? null,
              video: snapshot.video.deviceId ?? null,
            }}
            onPick={(kind, d) => void devices.pick(kind, d)}
            noiseSuppression={snapshot.noiseSuppression}
            onNoiseSuppression={(on) => {
              savePrefs({ noiseSuppression: on });
              media.setNoiseSuppression(on);
            }}
          />
          <MicTest track={micOn ? snapshot.audio.track : null} />
          {problems.length > 0 ? (
            <Notice testId="prejoin-media-notice">
              {problems.join(' ')} {joinHint}
            </Notice>
          ) : null}
          {/* Joining while devices start is fine: tracks that arrive later are sent then. */}
          <button className="btn btn--primary btn--block" type="submit" data-testid="join">
            {t('prejoin.join')}
          </button>
          <button type="button" className="btn btn--ghost btn--block" onClick={() => void copy()}>
            <Icon name={copied ? 'check' : 'link'} size={18} />
            {copied ? t('invite.copied') : t('invite.copy')}
          </button>
          <p className="prejoin__status">
            {starting
              ? t('prejoin.starting')
              : t('prejoin.status', {
                  mic: micOn ? t('prejoin.status.micOn') : t('prejoin.status.micOff'),
                  camera: camOn ? t('prejoin.status.cameraOn') : t('prejoin.status.cameraOff'),
                })}
          </p>
        </form>
      </main>
    </div>
  );
}
