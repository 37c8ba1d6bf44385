import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { SignalingClient, SimulcastLayer } from '@parley/client';
import { Brand } from '../../ui/Brand';
import { AudioSink } from '../../ui/AudioSink';
import { Notice } from '../../ui/Notice';
import { navigate } from '../../app/router';
import { inviteLink } from '../landing/room-id';
import type { LocalMedia, LocalMediaSnapshot } from '../media/local-media';
import { Controls, type PanelSpec } from './Controls';
import { MediaNotices } from './MediaNotices';
import { PeoplePanel } from './PeoplePanel';
import { SidePanel } from './SidePanel';
import { remoteTile, screenTile, selfTile, type TileModel } from './tile-model';
import { useStage } from './use-stage';
import { ScreenShareButton } from '../screen/ScreenShareButton';
import { useScreenShare } from '../screen/use-screen-share';
import { useRoomSession } from './use-room-session';
import { useSpeaking } from './use-speaking';
import { useAudioLevel } from '../media/use-audio-level';
import { VideoGrid } from './VideoGrid';
import { useSimulcastLayers } from './simulcast-layer';
import { NO_CAP, cappedLayer, nextDownlinkCap } from './downlink-cap';
import { usePageVisible, useVideoPause } from './video-pause';
import { ChatPanel } from '../chat/ChatPanel';
import { useChat } from '../chat/use-chat';
import { useRoomAnnouncements } from '../a11y/use-room-announcements';
import { FilesPanel } from '../files/FilesPanel';
import { useFileSharing } from '../files/use-file-sharing';
import { FloatingReactions } from '../reactions/FloatingReactions';
import { ReactionBar } from '../reactions/ReactionBar';
import { useReactions } from '../reactions/use-reactions';
import { QualityIndicator } from '../quality/QualityIndicator';
import { QualityPanel } from '../quality/QualityPanel';
import { useQuality } from '../quality/use-quality';
import { RecordingBadge } from '../recording/RecordingBadge';
import { RecordingStatus } from '../recording/RecordingStatus';
import { useRecording } from '../recording/use-recording';
import '../recording/recording.css';
import { ShortcutsDialog } from '../shortcuts/ShortcutsDialog';
import type { ShortcutActions } from '../shortcuts/shortcut-registry';
import { useShortcuts } from '../shortcuts/use-shortcuts';
import { nextActiveSpeaker } from './active-speaker';
import type { MoreItem } from './MoreMenu';
import { DeviceNoticeView } from '../devices/DeviceNoticeView';
import { DeviceSettings } from '../devices/DeviceSettings';
import { SettingsDialog } from '../devices/SettingsDialog';
import { savePrefs } from '../devices/device-prefs';
import { useSpeakerId } from '../devices/speaker';
import { useDevices } from '../devices/use-devices';
import './call.css';
import { useT } from '../../i18n/i18n';
import { phrase, say, type Phrase } from '../../i18n/phrase';

const aboveSpeaking = (level: number): number => (level > 0.3 ? 1 : 0);

/**
 * The call itself: header, tiles, notices, side panel and controls. A private room (meet,
 * the board) passes the page's `signaling`, a `heading` instead of its room id, its own
 * `actions` in the control bar, and no invite link.
 */
export function CallView({
  roomId,
  name,
  media,
  snapshot,
  onLeave,
  onFatal,
  signaling,
  heading,
  actions,
  notice,
  password,
}: {
  roomId: string;
  name: string;
  media: LocalMedia;
  snapshot: LocalMediaSnapshot;
  onLeave: () => void;
  onFatal: (error: Error) => void;
  signaling?: SignalingClient;
  heading?: string;
  actions?: ReactNode;
  notice?: ReactNode;
  /** The room's password, typed on the password page. */
  password?: string;
}) {
  const session = useRoomSession(roomId, name, media, onFatal, signaling, password);
  const hosting = session.room?.hosting ?? null;
  const peopleHosting = {
    hostId: hosting?.hostId ?? null,
    controls:
      hosting?.isHost === true
        ? { hosting, access: hosting.access, waiters: hosting.waiters }
        : null,
  };
  const invitable = heading === undefined;
  const quality = useQuality(session.room);
  const i18n = useT();
  const { t } = i18n;
  const [openPanel, setOpenPanel] = useState<string | null>(null);
  const [toast, setToast] = useState<Phrase | null>(null);
  const [soundBlocked, setSoundBlocked] = useState(false);
  const [soundRetry, setSoundRetry] = useState(0);
  const onSoundBlocked = useCallback(() => setSoundBlocked(true), []);
  const devices = useDevices(media);
  const speakerId = useSpeakerId();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const closeSettings = useCallback(() => setSettingsOpen(false), []);

  useEffect(() => {
    if (!toast) {
      return;
    }
    const timer = setTimeout(() => setToast(null), 4000);
    return () => clearTimeout(timer);
  }, [toast]);

  const speaking = useSpeaking(session.room);
  const micOn = snapshot.audio.track !== null && snapshot.audio.on;
  // Our own level comes from the microphone track; 0.3 on that meter is SPEAKING_DB.
  // Only the flip matters here: the call view does not re-render on every sample.
  const selfSpeaking = useAudioLevel(snapshot.audio.track, micOn, aboveSpeaking) > 0;
  const plainTiles = session.participants.map((p) => remoteTile(p, speaking.has(p.id)));
  // Through the SFU, nobody's video comes while their tile is off screen or the page is
  // hidden (docs/SFU.md, "Off screen"), and each one comes in the simulcast layer its
  // tile needs.
  const [offscreen, setOffscreen] = useState<ReadonlySet<string>>(new Set());
  const pageVisible = usePageVisible();
  const paused = useVideoPause(session.room, plainTiles, offscreen, pageVisible);
  const room = session.room;
  const share = useScreenShare(
    useCallback(
      async (track: MediaStreamTrack | null, audio: MediaStreamTrack | null) => {
        // The picture first: the others' screen tile comes before its sound.
        await room?.setTrack('screen', track);
        await room?.setTrack('screen-audio', audio);
      },
      [room],
    ),
  );
  const [handRaised, setHandRaised] = useState(false);
  const toggleHand = (): void => {
    session.room?.setHandRaised(!handRaised);
    setHandRaised(!handRaised);
  };
  // One tile at a time is the active speaker, and it stays while they speak.
  const activeSpeaker = useRef<string | null>(null);
  activeSpeaker.current = nextActiveSpeaker(
    activeSpeaker.current,
    selfSpeaking ? new Set([...speaking, 'self']) : speaking,
    'self',
  );
  // Everything the call sounds like, for a recording's mix: the voices, own mic included,
  // and the shared screens' sound, ours included (same array while unchanged).
  const sounds = [
    snapshot.audio.track,
    share.audio,
    ...session.participants.flatMap((p) => [p.tracks.audio, p.tracks['screen-audio']]),
  ];
  const voiceKey = sounds.map((t) => t?.id ?? '').join(',');
  const voices = useMemo(() => sounds.filter((t): t is MediaStreamTrack => Boolean(t)), [voiceKey]);
  const stageRef = useRef<HTMLElement>(null);
  const recording = useRecording(
    session.room,
    heading ?? roomId,
    useCallback(
      () => stageRef.current?.querySelector<HTMLElement>('[data-testid="grid"]') ?? null,
      [],
    ),
    voices,
  );
  const recordingNow = recording.state.status === 'recording';
  const self = selfTile(name, snapshot, session.state, selfSpeaking, {
    hand: handRaised,
    recording: recordingNow,
  });
  const people = session.participants.map((p) =>
    remoteTile(p, speaking.has(p.id), paused.has(p.id)),
  );
  // Everyone's tiles, then the shared screens as tiles of their own (stage-layout.ts).
  const screens: TileModel[] = [
    ...(share.track ? [screenTile(self, share.track)] : []),
    ...session.participants.flatMap((p, i) => {
      const track = p.tracks.screen;
      return track && people[i] ? [screenTile(people[i], track)] : [];
    }),
  ];
  const tiles = [self, ...people].map((t) =>
    t.id === activeSpeaker.current ? { ...t, activeSpeaker: true } : t,
  );
  const recorders = tiles.filter((t) => t.recording).map((t) => (t.isSelf ? 'you' : t.name));
  const stage = useStage([...tiles, ...screens]);
  const [tileLayer, setTileLayer] = useState<SimulcastLayer | null>(null);
  // ...lowered while our download loses packets (downlink-cap.ts), re-read every sample.
  const [downlinkCap, setDownlinkCap] = useState(NO_CAP);
  const sfu = session.room?.mediaMode === 'sfu';
  useEffect(() => {
    setDownlinkCap((cap) => (sfu ? nextDownlinkCap(cap, quality.values()) : NO_CAP));
  }, [quality, sfu]);
  // The large tile of a spotlight asks for the top layer, the strip for what fits it.
  const mainId = stage.arrangement.mode === 'spotlight' ? stage.arrangement.main.id : null;
  useSimulcastLayers(
    session.room,
    tiles,
    tileLayer === null ? null : cappedLayer(tileLayer, downlinkCap),
    mainId === null ? null : { id: mainId, layer: cappedLayer(2, downlinkCap) },
  );
  const chat = useChat(session.room, openPanel === 'chat');
  useRoomAnnouncements(session.room, chat.chat, openPanel === 'chat');
  const files = useFileSharing(session.room, chat.limits?.fileMaxBytes);
  const reactions = useReactions(session.room);
  // Side panels of the call. A feature (chat, …) adds itself here with what it renders.
  const panels: PanelSpec[] = [
    {
      id: 'people',
      label: t('room.panel.people'),
      icon: 'people',
      badge: tiles.length + (peopleHosting.controls?.waiters.length ?? 0),
      render: () => <PeoplePanel tiles={tiles} hosting={peopleHosting} />,
    },
    {
      id: 'chat',
      label: t('room.panel.chat'),
      icon: 'chat',
      badge: chat.unread,
      render: () => <ChatPanel state={chat} />,
    },
    {
      id: 'files',
      label: t('room.panel.files'),
      icon: 'file',
      badge: files.pendingOffers,
      narrowInMore: true,
      render: () => <FilesPanel state={files} />,
    },
  ];
  // Opened from a tile's quality indicator, not from the control bar (no room on phones).
  const qualityPanel: PanelSpec = {
    id: 'quality',
    label: t('room.panel.quality'),
    icon: 'signal',
    render: () => <QualityPanel people={session.participants} samples={quality} />,
  };
  const panel = [...panels, qualityPanel].find((p) => p.id === openPanel);

  const copyInvite = async (): Promise<void> => {
    const link = inviteLink(roomId);
    try {
      await navigator.clipboard.writeText(link);
      setToast(phrase('room.inviteCopied'));
    } catch {
      // No clipboard (http on a LAN address, or refused): show the link to copy by hand.
      setToast(phrase('room.copyThisLink', { link }));
    }
  };

  useEffect(() => {
    const previous = document.title;
    document.title = t('room.documentTitle', { count: tiles.length });
    return () => {
      document.title = previous;
    };
  }, [tiles.length, t]);

  const alone = session.state === 'joined' && session.participants.length === 0;

  const toggleMic = (): void => void media.setAudio(!(snapshot.audio.track && snapshot.audio.on));
  const toggleCamera = (): void => void media.setVideo(snapshot.video.track === null);
  const [helpOpen, setHelpOpen] = useState(false);
  const closeHelp = useCallback(() => setHelpOpen(false), []);
  // Keyboard shortcuts (features/shortcuts); the help dialog lists the ones given here.
  const shortcuts: ShortcutActions = {
    'toggle-mic': toggleMic,
    'toggle-camera': toggleCamera,
    'share-screen': share.toggle,
    'toggle-chat': () => setOpenPanel((cur) => (cur === 'chat' ? null : 'chat')),
    'raise-hand': toggleHand,
    leave: onLeave,
    help: () => setHelpOpen(true),
  };
  useShortcuts(shortcuts, !helpOpen && !settingsOpen);
  const more: MoreItem[] = [
    recordingNow
      ? {
          id: 'record',
          label: t('recording.stopAndSave'),
          icon: 'record',
          active: true,
          onSelect: recording.stop,
        }
      : { id: 'record', label: t('recording.start'), icon: 'record', onSelect: recording.start },
    {
      id: 'shortcuts',
      label: t('shortcuts.title'),
      icon: 'keyboard',
      onSelect: () => setHelpOpen(true),
    },
  ];

  return (
    <div
      className={`call${openPanel ? ' call--panel-open' : ''}`}
      data-testid="call"
      data-state={session.state}
    >
      <header className="call__header">
        <Brand onClick={() => navigate('/')} />
        <span className="call__room" title={heading ?? roomId}>
          {heading ?? roomId}
        </span>
        <span className="call__count" data-testid="participant-count">
          {t('room.people', { count: tiles.length })}
        </span>
        <RecordingBadge names={recorders} />
      </header>

      <div className="call__body">
        <main className="call__stage" ref={stageRef}>
          <div className="call__notices">
            {session.state === 'joining' && !session.waiting ? (
              <Notice testId="joining-notice">{t('room.joining')}</Notice>
            ) : null}
            {session.state === 'joining' && session.waiting ? (
              <Notice tone="info" testId="lobby-notice">
                {t('room.lobbyWaiting')}
              </Notice>
            ) : null}
            {session.muteRequest !== null ? (
              <Notice
                tone="info"
                testId="mute-request-notice"
                onDismiss={session.dismissMuteRequest}
              >
                {session.muteRequest === ''
                  ? t('room.muteRequest.host')
                  : t('room.muteRequest', { name: session.muteRequest })}
              </Notice>
            ) : null}
            {peopleHosting.controls && peopleHosting.controls.waiters.length > 0 ? (
              <Notice
                tone="info"
                testId="lobby-knock"
                actions={
                  <button className="btn btn--primary" onClick={() => setOpenPanel('people')}>
                    {t('room.lobbyKnock.show')}
                  </button>
                }
              >
                {peopleHosting.controls.waiters.length === 1
                  ? t('room.lobbyKnock.one', {
                      name: peopleHosting.controls.waiters[0]?.name ?? '',
                    })
                  : t('room.lobbyKnock.many', { count: peopleHosting.controls.waiters.length })}
              </Notice>
            ) : null}
            {session.state === 'reconnecting' ? (
              <Notice tone="error" testId="reconnecting-notice">
                {t('room.reconnecting')}
              </Notice>
            ) : null}
            {notice}
            <MediaNotices media={snapshot} />
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
            <RecordingStatus state={recording.state} onStop={recording.stop} />
            {recording.state.status === 'idle' && recording.state.error ? (
              <Notice testId="recording-error">{t(recording.state.error)}</Notice>
            ) : null}
            <DeviceNoticeView
              notice={devices.notice}
              onUse={(d) => void devices.pick(d.kind === 'videoinput' ? 'video' : 'audio', d)}
              onDismiss={devices.dismiss}
            />
            {soundBlocked ? (
              <Notice
                testId="sound-notice"
                actions={
                  <button
                    className="btn btn--primary"
                    onClick={() => {
                      setSoundBlocked(false);
                      setSoundRetry((n) => n + 1);
                    }}
                  >
                    {t('room.sound.turnOn')}
                  </button>
                }
              >
                {t('room.sound.blocked')}
              </Notice>
            ) : null}
            {alone ? (
              <div className="call__waiting" data-testid="waiting">
                <span>{invitable ? t('room.alone') : t('room.connecting')}</span>
                {invitable ? (
                  <button
                    className="btn btn--ghost call__waiting-btn"
                    onClick={() => void copyInvite()}
                  >
                    {t('invite.copy')}
                  </button>
                ) : null}
              </div>
            ) : null}
          </div>
          <VideoGrid
            tiles={[...tiles, ...screens]}
            arrangement={stage.arrangement}
            pinnedId={stage.pinnedId}
            onTogglePin={stage.togglePin}
            onTileLayer={setTileLayer}
            onOffscreen={setOffscreen}
            renderOverlay={(tile) => (
              <>
                <FloatingReactions items={reactions.floating.get(tile.id)} />
                {tile.isSelf || tile.kind === 'screen' ? null : (
                  <QualityIndicator
                    sample={quality.get(tile.id)}
                    name={tile.name}
                    onOpen={() => setOpenPanel('quality')}
                  />
                )}
              </>
            )}
          />
          <div className="call__reactions">
            <ReactionBar onReact={reactions.send} />
          </div>
        </main>

        {panel ? (
          <SidePanel title={panel.label} onClose={() => setOpenPanel(null)}>
            {panel.render()}
          </SidePanel>
        ) : null}
      </div>

      <Controls
        media={snapshot}
        onToggleMic={toggleMic}
        onToggleCamera={toggleCamera}
        screenShare={{
          button: <ScreenShareButton share={share} />,
          item: {
            id: 'screen',
            label: share.track ? t('screen.stop') : t('screen.start'),
            icon: 'screen',
            onSelect: share.toggle,
            active: share.track !== null,
          },
        }}
        hand={{ raised: handRaised, onToggle: toggleHand }}
        more={more}
        onSettings={() => setSettingsOpen(true)}
        panels={panels}
        openPanel={panel?.id ?? null}
        onTogglePanel={(id) => setOpenPanel((cur) => (cur === id ? null : id))}
        onInvite={invitable ? () => void copyInvite() : undefined}
        actions={actions}
        onLeave={onLeave}
      />

      {helpOpen ? <ShortcutsDialog actions={shortcuts} onClose={closeHelp} /> : null}
      {settingsOpen ? (
        <SettingsDialog onClose={closeSettings}>
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
        </SettingsDialog>
      ) : null}

      {toast ? (
        <div className="toast" role="status" data-testid="toast">
          {say(toast, i18n)}
        </div>
      ) : null}

      <div hidden>
        {session.participants.map((p) => (
          <AudioSink
            key={p.id}
            track={p.tracks.audio}
            retryKey={soundRetry}
            onBlocked={onSoundBlocked}
            sinkId={speakerId}
          />
        ))}
        {/* A shared tab's sound, played beside its sharer's voice. */}
        {session.participants.flatMap((p) =>
          p.tracks['screen-audio']
            ? [
                <AudioSink
                  key={`${p.id}:screen`}
                  track={p.tracks['screen-audio']}
                  retryKey={soundRetry}
                  onBlocked={onSoundBlocked}
                  sinkId={speakerId}
                  testId="screen-audio"
                />,
              ]
            : [],
        )}
      </div>
    </div>
  );
}
