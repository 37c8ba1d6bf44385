import { useCallback, useEffect, useState } from 'react';
import type { SimulcastLayer } from '@parley/client';
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
import { remoteTile, selfTile } from './tile-model';
import { useRoomSession } from './use-room-session';
import { useSpeaking } from './use-speaking';
import { useAudioLevel } from '../media/use-audio-level';
import { VideoGrid } from './VideoGrid';
import { useSimulcastLayers } from './simulcast-layer';
import { ChatPanel } from '../chat/ChatPanel';
import { useChat } from '../chat/use-chat';
import { FilesPanel } from '../files/FilesPanel';
import { useFileSharing } from '../files/use-file-sharing';
import { FloatingReactions } from '../reactions/FloatingReactions';
import { ReactionBar } from '../reactions/ReactionBar';
import { useReactions } from '../reactions/use-reactions';
import { QualityIndicator } from '../quality/QualityIndicator';
import { QualityPanel } from '../quality/QualityPanel';
import { useQuality } from '../quality/use-quality';
import './call.css';

const aboveSpeaking = (level: number): number => (level > 0.3 ? 1 : 0);

/** The call itself: header, tiles, notices, side panel and controls. */
export function CallView({
  roomId,
  name,
  media,
  snapshot,
  onLeave,
  onFatal,
}: {
  roomId: string;
  name: string;
  media: LocalMedia;
  snapshot: LocalMediaSnapshot;
  onLeave: () => void;
  onFatal: (error: Error) => void;
}) {
  const session = useRoomSession(roomId, name, media, onFatal);
  const quality = useQuality(session.room);
  const [openPanel, setOpenPanel] = useState<string | null>(null);
  const [toast, setToast] = useState<string | null>(null);
  const [soundBlocked, setSoundBlocked] = useState(false);
  const [soundRetry, setSoundRetry] = useState(0);
  const onSoundBlocked = useCallback(() => setSoundBlocked(true), []);

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
  const tiles = [
    selfTile(name, snapshot, session.state, selfSpeaking),
    ...session.participants.map((p) => remoteTile(p, speaking.has(p.id))),
  ];
  // Through the SFU, each remote video comes in the simulcast layer its tile needs.
  const [tileLayer, setTileLayer] = useState<SimulcastLayer | null>(null);
  useSimulcastLayers(session.room, tiles, tileLayer);
  const chat = useChat(session.room, openPanel === 'chat');
  const files = useFileSharing(session.room, chat.limits?.fileMaxBytes);
  const reactions = useReactions(session.room);
  // Side panels of the call. A feature (chat, …) adds itself here with what it renders.
  const panels: PanelSpec[] = [
    {
      id: 'people',
      label: 'People',
      icon: 'people',
      badge: tiles.length,
      render: () => <PeoplePanel tiles={tiles} />,
    },
    {
      id: 'chat',
      label: 'Chat',
      icon: 'chat',
      badge: chat.unread,
      render: () => <ChatPanel state={chat} />,
    },
    {
      id: 'files',
      label: 'Files',
      icon: 'file',
      badge: files.pendingOffers,
      render: () => <FilesPanel state={files} />,
    },
  ];
  // Opened from a tile's quality indicator, not from the control bar (no room on phones).
  const qualityPanel: PanelSpec = {
    id: 'quality',
    label: 'Connection quality',
    icon: 'signal',
    render: () => <QualityPanel people={session.participants} samples={quality} />,
  };
  const panel = [...panels, qualityPanel].find((p) => p.id === openPanel);

  const copyInvite = async (): Promise<void> => {
    const link = inviteLink(roomId);
    try {
      await navigator.clipboard.writeText(link);
      setToast('Invite link copied. Send it to the people you want in this call.');
    } catch {
      // No clipboard (http on a LAN address, or refused): show the link to copy by hand.
      setToast(`Copy this link: ${link}`);
    }
  };

  useEffect(() => {
    const previous = document.title;
    document.title = `(${tiles.length}) Parley call`;
    return () => {
      document.title = previous;
    };
  }, [tiles.length]);

  const alone = session.state === 'joined' && session.participants.length === 0;

  return (
    <div
      className={`call${openPanel ? ' call--panel-open' : ''}`}
      data-testid="call"
      data-state={session.state}
    >
      <header className="call__header">
        <Brand onClick={() => navigate('/')} />
        <span className="call__room" title={roomId}>
          {roomId}
        </span>
        <span className="call__count" data-testid="participant-count">
          {tiles.length} {tiles.length === 1 ? 'person' : 'people'}
        </span>
      </header>

      <div className="call__body">
        <main className="call__stage">
          <div className="call__notices">
            {session.state === 'joining' ? (
              <Notice testId="joining-notice">Joining the room…</Notice>
            ) : null}
            {session.state === 'reconnecting' ? (
              <Notice tone="error" testId="reconnecting-notice">
                The connection to the server dropped. Reconnecting… your call continues meanwhile.
              </Notice>
            ) : null}
            <MediaNotices media={snapshot} />
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
                    Turn on sound
                  </button>
                }
              >
                Your browser paused the sound of this call until you click.
              </Notice>
            ) : null}
            {alone ? (
              <div className="call__waiting" data-testid="waiting">
                <span>Waiting for others to join.</span>
                <button
                  className="btn btn--ghost call__waiting-btn"
                  onClick={() => void copyInvite()}
                >
                  Copy invite link
                </button>
              </div>
            ) : null}
          </div>
          <VideoGrid
            tiles={tiles}
            onTileLayer={setTileLayer}
            renderOverlay={(tile) => (
              <>
                <FloatingReactions items={reactions.floating.get(tile.id)} />
                {tile.isSelf ? null : (
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
        onToggleMic={() => void media.setAudio(!(snapshot.audio.track && snapshot.audio.on))}
        onToggleCamera={() => void media.setVideo(snapshot.video.track === null)}
        panels={panels}
        openPanel={panel?.id ?? null}
        onTogglePanel={(id) => setOpenPanel((cur) => (cur === id ? null : id))}
        onInvite={() => void copyInvite()}
        onLeave={onLeave}
      />

      {toast ? (
        <div className="toast" role="status" data-testid="toast">
          {toast}
        </div>
      ) : null}

      <div hidden>
        {session.participants.map((p) => (
          <AudioSink
            key={p.id}
            track={p.tracks.audio}
            retryKey={soundRetry}
            onBlocked={onSoundBlocked}
          />
        ))}
      </div>
    </div>
  );
}
