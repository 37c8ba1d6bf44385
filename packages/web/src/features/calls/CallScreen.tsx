import { useCallback, useEffect, useRef, useState } from 'react';
import type { DirectCall } from '@parley/client';
import { AudioSink } from '../../ui/AudioSink';
import { ControlButton } from '../../ui/ControlButton';
import { Icon } from '../../ui/Icon';
import { VideoView } from '../../ui/VideoView';
import { Notice } from '../../ui/Notice';
import { ScreenShareButton } from '../screen/ScreenShareButton';
import { useScreenShare } from '../screen/use-screen-share';
import { formatDuration, statusLabel } from './call-labels';
import type { DeviceEntry } from '../devices/device-choice';
import { DeviceNoticeView } from '../devices/DeviceNoticeView';
import type { LocalKind } from '../media/local-media';
import { DeviceSettings } from '../devices/DeviceSettings';
import { SettingsDialog } from '../devices/SettingsDialog';
import { useSpeakerId } from '../devices/speaker';
import { useCallDevices } from '../devices/use-call-devices';
import { useDirectCall, useElapsed } from './use-direct-call';
import './calls.css';
import { useT, type MessageKey } from '../../i18n/i18n';

/**
 * A direct call in progress: the other person (video, or their initial), our own
 * preview, the duration, the connection status, and mute / camera / end.
 */
export function CallScreen({
  call,
  activeSince,
}: {
  call: DirectCall;
  activeSince: number | null;
}) {
  const { t } = useT();
  useDirectCall(call);
  const elapsed = useElapsed(activeSince);
  const [soundRetry, setSoundRetry] = useState(0);
  const [soundBlocked, setSoundBlocked] = useState(false);
  const [cameraBusy, setCameraBusy] = useState(false);
  const [deviceProblem, setDeviceProblem] = useState<MessageKey | null>(null);
  const devices = useCallDevices(call);
  const speakerId = useSpeakerId();
  const [settingsOpen, setSettingsOpen] = useState(false);
  // The call covers the page: keyboard focus moves into it, not onto a control (a stray
  // Enter must not hang up).
  const root = useRef<HTMLElement>(null);
  useEffect(() => root.current?.focus(), []);

  const remoteVideo = call.remoteStream.getVideoTracks()[0];
  const remoteAudio = call.remoteStream.getAudioTracks()[0];
  const localVideo = call.localMedia.getVideoTracks()[0];
  const showRemoteVideo = Boolean(remoteVideo) && call.remoteMedia.video;
  const status = statusLabel(call.state, call.role, call.connection);
  const share = useScreenShare(
    useCallback(
      (track: MediaStreamTrack | null, audio: MediaStreamTrack | null) =>
        call.setScreen(track, audio),
      [call],
    ),
  );
  // Their shared screen takes the stage; their camera goes to a thumbnail.
  const remoteScreen = call.remoteScreen?.getVideoTracks()[0];

  const pick = (kind: LocalKind, d: DeviceEntry): void => {
    devices.pick(kind, d).catch(() => setDeviceProblem('call.deviceFailed'));
  };

  const toggleCamera = async (): Promise<void> => {
    setCameraBusy(true);
    setDeviceProblem(null);
    try {
      await call.setCamera(!call.local.video);
    } catch {
      setDeviceProblem('call.cameraFailed');
    } finally {
      setCameraBusy(false);
    }
  };

  return (
    <section
      ref={root}
      tabIndex={-1}
      className="direct-call"
      aria-label={t('call.label', { name: call.peer.username })}
      data-testid="call-screen"
      data-state={call.state}
      data-connection={call.connection}
      data-media={call.media}
    >
      <div className="direct-call__stage">
        {remoteScreen ? (
          <div className="direct-call__screen-wrap" data-testid="call-remote-screen">
            <VideoView track={remoteScreen} className="direct-call__screen" />
            <span className="direct-call__screen-label">
              {t('tile.screenOf', { name: call.peer.username })}
            </span>
          </div>
        ) : null}
        {remoteScreen && showRemoteVideo ? (
          <VideoView track={remoteVideo} className="direct-call__peer-thumb" />
        ) : showRemoteVideo ? (
          <VideoView track={remoteVideo} className="direct-call__remote" />
        ) : remoteScreen ? null : (
          <div className="direct-call__avatar" aria-hidden="true">
            {call.peer.username.slice(0, 1).toUpperCase()}
          </div>
        )}
        <AudioSink
          track={remoteAudio}
          retryKey={soundRetry}
          onBlocked={() => setSoundBlocked(true)}
          sinkId={speakerId}
        />
        {/* A shared tab's sound, played beside their voice. */}
        <AudioSink
          track={call.remoteScreenAudio ?? undefined}
          retryKey={soundRetry}
          onBlocked={() => setSoundBlocked(true)}
          sinkId={speakerId}
          testId="screen-audio"
        />
        {localVideo && call.local.video ? (
          <VideoView track={localVideo} mirror className="direct-call__self" />
        ) : null}
      </div>

      <header className="direct-call__info">
        <h2 className="direct-call__name">{call.peer.username}</h2>
        <p className="direct-call__status" data-testid="call-status" aria-live="polite">
          {status}
        </p>
        {call.state === 'active' ? (
          <p className="direct-call__timer" data-testid="call-timer">
            {formatDuration(elapsed)}
          </p>
        ) : null}
        {soundBlocked ? (
          <button
            className="btn btn--ghost"
            onClick={() => {
              setSoundBlocked(false);
              setSoundRetry((n) => n + 1);
            }}
          >
            <Icon name="speaker" size={18} /> {t('room.sound.turnOn')}
          </button>
        ) : null}
        {deviceProblem ? <p className="field__error">{t(deviceProblem)}</p> : null}
        <DeviceNoticeView
          notice={devices.notice}
          onUse={(d) => pick(d.kind === 'videoinput' ? 'video' : 'audio', d)}
          onDismiss={devices.dismiss}
        />
        {share.message ? (
          <Notice
            testId="screen-notice"
            actions={
              <button className="btn btn--ghost" onClick={share.dismiss}>
                {t('common.ok')}
              </button>
            }
          >
            {t(share.message)}
          </Notice>
        ) : null}
      </header>

      <div className="direct-call__controls" role="toolbar" aria-label={t('room.controls')}>
        <ControlButton
          icon={call.local.audio ? 'mic' : 'mic-off'}
          label={call.local.audio ? t('call.mute') : t('call.unmute')}
          onClick={() => call.setMuted(call.local.audio)}
          pressed={!call.local.audio}
          tone={call.local.audio ? undefined : 'off'}
          disabled={call.state !== 'active'}
          testId="call-mute"
        />
        <ControlButton
          icon={call.local.video ? 'camera' : 'camera-off'}
          label={call.local.video ? t('call.cameraOff') : t('call.cameraOn')}
          title={
            call.local.video
              ? t('call.cameraOff')
              : call.media === 'audio'
                ? t('call.cameraToVideo')
                : t('call.cameraOn')
          }
          onClick={() => void toggleCamera()}
          pressed={!call.local.video}
          tone={call.local.video || call.media === 'audio' ? undefined : 'off'}
          disabled={call.state !== 'active' || cameraBusy}
          testId="call-camera"
        />
        {call.state === 'active' ? <ScreenShareButton share={share} /> : null}
        <ControlButton
          icon="settings"
          label={t('devices.settings')}
          onClick={() => setSettingsOpen(true)}
          testId="call-settings"
        />
        <ControlButton
          icon="leave"
          label={call.state === 'ringing' ? t('call.cancel') : t('call.end')}
          onClick={() => call.end()}
          tone="hangup"
          testId="call-end"
        />
      </div>
      {settingsOpen ? (
        <SettingsDialog onClose={() => setSettingsOpen(false)}>
          <DeviceSettings
            devices={devices.devices}
            current={devices.current}
            onPick={pick}
            noiseSuppression={devices.noiseSuppression}
            onNoiseSuppression={devices.setNoiseSuppression}
          />
        </SettingsDialog>
      ) : null}
    </section>
  );
}
