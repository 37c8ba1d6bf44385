import { useCallback, useEffect, useRef, useState } from 'react';
import { loadDisplayName, saveDisplayName } from '../../app/display-name';
import { navigate } from '../../app/router';
import { MessagePage } from '../../ui/MessagePage';
import { ROOM_ID_PATTERN } from '../landing/room-id';
import { useLocalMedia } from '../media/use-local-media';
import { PreJoin } from '../prejoin/PreJoin';
import { CallView } from './CallView';
import { parseDirectJoin } from './direct-link';
import { takeEarlyJoinMedia } from './early-join';
import { describeCallError } from './room-errors';
import { PasswordPage } from '../hosting/PasswordPage';
import { ParleyError } from '@parley/client';
import { useT } from '../../i18n/i18n';
import { LanguageSwitcher } from '../../ui/LanguageSwitcher';

type Stage =
  | { kind: 'prejoin' }
  /** Devices are being started before joining straight away (direct link, retry). */
  | { kind: 'starting'; want: { audio: boolean; video: boolean } }
  | { kind: 'call'; attempt: number; password?: string }
  /** The room has a password: ask for it (`wrong`: the last one tried was not it). */
  | { kind: 'password'; wrong: boolean }
  | { kind: 'left' }
  | { kind: 'error'; error: Error; want: { audio: boolean; video: boolean } };

/**
 * Everything under /r/<room>: pre-join, the call, and the pages after it (left, errors).
 * `?name=` joins straight away, skipping pre-join (invites and automation).
 */
export function RoomRoute({ roomId, params }: { roomId: string; params: URLSearchParams }) {
  const i18n = useT();
  const { t } = i18n;
  const [direct] = useState(() => parseDirectJoin(params));
  // A direct link that joined early already has its devices: the call view is the first
  // page, with them (a "starting" page first cost a render and a commit more before the
  // video showed: docs/BENCHMARKS.md).
  const [granted] = useState(() => (direct ? takeEarlyJoinMedia(roomId, direct.name) : null));
  const [media, snapshot] = useLocalMedia(granted ?? undefined);
  const [name, setName] = useState(() => direct?.name ?? loadDisplayName());
  // Each call attempt mounts a fresh CallView (new signaling client and room).
  const attempts = useRef(0);
  const [stage, setStage] = useState<Stage>(() => {
    if (granted) {
      return { kind: 'call', attempt: ++attempts.current };
    }
    return direct
      ? { kind: 'starting', want: { audio: direct.audio, video: direct.video } }
      : { kind: 'prejoin' };
  });

  useEffect(() => {
    if (stage.kind !== 'starting') {
      return;
    }
    let cancelled = false;
    void media.start(stage.want).then(() => {
      if (!cancelled) {
        setStage({ kind: 'call', attempt: ++attempts.current });
      }
    });
    return () => {
      cancelled = true;
    };
  }, [stage, media]);

  const onFatal = useCallback(
    (error: Error) => {
      const code = error instanceof ParleyError ? error.code : '';
      if (code === 'password_required' || code === 'wrong_password') {
        // Devices stay on: the call starts as soon as the password is right.
        setStage({ kind: 'password', wrong: code === 'wrong_password' });
        return;
      }
      const s = media.getSnapshot();
      const want = { audio: s.audio.track !== null, video: s.video.track !== null };
      // No camera light and no open mic on an error page.
      media.stop();
      setStage({ kind: 'error', error, want });
    },
    [media],
  );

  if (!ROOM_ID_PATTERN.test(roomId)) {
    return (
      <MessagePage
        title={t('room.invalid.title')}
        testId="room-error"
        actions={
          <button className="btn btn--primary" onClick={() => navigate('/')}>
            {t('common.startPage')}
          </button>
        }
      >
        {t('room.invalid.text')}
      </MessagePage>
    );
  }

  switch (stage.kind) {
    case 'prejoin':
      return (
        <PreJoin
          roomId={roomId}
          media={media}
          snapshot={snapshot}
          initialName={name}
          onJoin={(chosen) => {
            saveDisplayName(chosen);
            setName(chosen);
            setStage({ kind: 'call', attempt: ++attempts.current });
          }}
        />
      );
    case 'starting':
      return (
        <div className="page-center" data-testid="starting">
          <p className="card__text">{t('room.starting')}</p>
          {/* A prompt left unanswered must not keep anyone out: devices that start
              later are still sent. */}
          <button
            className="btn btn--ghost"
            onClick={() => setStage({ kind: 'call', attempt: ++attempts.current })}
          >
            {t('room.joinWithoutWaiting')}
          </button>
          <LanguageSwitcher />
        </div>
      );
    case 'password':
      return (
        <PasswordPage
          roomId={roomId}
          wrong={stage.wrong}
          onSubmit={(password) => setStage({ kind: 'call', attempt: ++attempts.current, password })}
        />
      );
    case 'call':
      return (
        <CallView
          key={stage.attempt}
          {...(stage.password === undefined ? {} : { password: stage.password })}
          roomId={roomId}
          name={name}
          media={media}
          snapshot={snapshot}
          onFatal={onFatal}
          onLeave={() => {
            media.stop();
            setStage({ kind: 'left' });
          }}
        />
      );
    case 'left':
      return (
        <MessagePage
          title={t('room.left.title')}
          testId="left"
          actions={
            <>
              <button className="btn btn--primary" onClick={() => setStage({ kind: 'prejoin' })}>
                {t('room.rejoin')}
              </button>
              <button className="btn btn--ghost" onClick={() => navigate('/')}>
                {t('common.startPageShort')}
              </button>
            </>
          }
        >
          {t('room.left.text')}
        </MessagePage>
      );
    case 'error': {
      // Described at render, so that a language switch translates the page too.
      const problem = describeCallError(stage.error, i18n);
      return (
        <MessagePage
          title={problem.title}
          testId="room-error"
          actions={
            <>
              {problem.retry ? (
                <button
                  className="btn btn--primary"
                  onClick={() => setStage({ kind: 'starting', want: stage.want })}
                >
                  {t('common.tryAgain')}
                </button>
              ) : (
                <button className="btn btn--primary" onClick={() => location.reload()}>
                  {t('room.reload')}
                </button>
              )}
              <button className="btn btn--ghost" onClick={() => navigate('/')}>
                {t('common.startPageShort')}
              </button>
            </>
          }
        >
          <span data-code={problem.code}>{problem.text}</span>
        </MessagePage>
      );
    }
  }
}
