import { useCallback, useEffect, useRef, useState } from 'react';
import { loadDisplayName, saveDisplayName } from '../../app/display-name';
import { navigate } from '../../app/router';
import { MessagePage } from '../../ui/MessagePage';
import { ROOM_ID_PATTERN } from '../landing/room-id';
import { useLocalMedia } from '../media/use-local-media';
import { PreJoin } from '../prejoin/PreJoin';
import { CallView } from './CallView';
import { parseDirectJoin } from './direct-link';
import { describeCallError, type CallProblem } from './room-errors';
import { PasswordPage } from '../hosting/PasswordPage';
import { ParleyError } from '@parley/client';

type Stage =
  | { kind: 'prejoin' }
  /** Devices are being started before joining straight away (direct link, retry). */
  | { kind: 'starting'; want: { audio: boolean; video: boolean } }
  | { kind: 'call'; attempt: number; password?: string }
  /** The room has a password: ask for it (`wrong`: the last one tried was not it). */
  | { kind: 'password'; wrong: boolean }
  | { kind: 'left' }
  | { kind: 'error'; problem: CallProblem; want: { audio: boolean; video: boolean } };

/**
 * Everything under /r/<room>: pre-join, the call, and the pages after it (left, errors).
 * `?name=` joins straight away, skipping pre-join (invites and automation).
 */
export function RoomRoute({ roomId, params }: { roomId: string; params: URLSearchParams }) {
  const [direct] = useState(() => parseDirectJoin(params));
  const [media, snapshot] = useLocalMedia();
  const [name, setName] = useState(() => direct?.name ?? loadDisplayName());
  const [stage, setStage] = useState<Stage>(() =>
    direct
      ? { kind: 'starting', want: { audio: direct.audio, video: direct.video } }
      : { kind: 'prejoin' },
  );
  // Each call attempt mounts a fresh CallView (new signaling client and room).
  const attempts = useRef(0);

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
      setStage({ kind: 'error', problem: describeCallError(error), want });
    },
    [media],
  );

  if (!ROOM_ID_PATTERN.test(roomId)) {
    return (
      <MessagePage
        title="That room link is not valid"
        testId="room-error"
        actions={
          <button className="btn btn--primary" onClick={() => navigate('/')}>
            Go to the start page
          </button>
        }
      >
        Room IDs use letters, digits, - and _ only. Check the link you were sent.
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
          <p className="card__text">
            Starting your camera and microphone… If your browser asks, allow access.
          </p>
          {/* A prompt left unanswered must not keep anyone out: devices that start
              later are still sent. */}
          <button
            className="btn btn--ghost"
            onClick={() => setStage({ kind: 'call', attempt: ++attempts.current })}
          >
            Join without waiting
          </button>
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
          title="You left the room"
          testId="left"
          actions={
            <>
              <button className="btn btn--primary" onClick={() => setStage({ kind: 'prejoin' })}>
                Rejoin
              </button>
              <button className="btn btn--ghost" onClick={() => navigate('/')}>
                Start page
              </button>
            </>
          }
        >
          Thanks for calling. You can go back in with the same link.
        </MessagePage>
      );
    case 'error':
      return (
        <MessagePage
          title={stage.problem.title}
          testId="room-error"
          actions={
            <>
              {stage.problem.retry ? (
                <button
                  className="btn btn--primary"
                  onClick={() => setStage({ kind: 'starting', want: stage.want })}
                >
                  Try again
                </button>
              ) : (
                <button className="btn btn--primary" onClick={() => location.reload()}>
                  Reload
                </button>
              )}
              <button className="btn btn--ghost" onClick={() => navigate('/')}>
                Start page
              </button>
            </>
          }
        >
          <span data-code={stage.problem.code}>{stage.problem.text}</span>
        </MessagePage>
      );
  }
}
