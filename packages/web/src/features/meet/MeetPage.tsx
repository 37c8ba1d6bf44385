import { useEffect, useState, type FormEvent } from 'react';
import { MEET_MAX_INTERESTS, type MeetMatch, type ReportReason } from '@parley/protocol';
import { ParleyError } from '@parley/client';
import { cleanDisplayName, loadDisplayName, saveDisplayName } from '../../app/display-name';
import { navigate } from '../../app/router';
import { Brand } from '../../ui/Brand';
import { ControlButton } from '../../ui/ControlButton';
import { Icon } from '../../ui/Icon';
import { NameField } from '../../ui/NameField';
import { Notice } from '../../ui/Notice';
import { VideoView } from '../../ui/VideoView';
import { useLocalMedia } from '../media/use-local-media';
import { PairCall } from '../pairing/PairCall';
import { usePageSession, useSignalingState, type PageSession } from '../pairing/page-session';
import { ReportDialog } from './ReportDialog';
import { endedLabel, estimateLabel, parseInterests, waitingLabel } from './meet-labels';
import { useMeet } from './use-meet';
import '../pairing/pairing.css';

/** /meet: pairs you with a stranger for a one-to-one video call; Next moves on. */
export function MeetPage() {
  const session = usePageSession();
  if (!session) {
    return <div className="page-center" aria-busy="true" />;
  }
  return <Meet session={session} />;
}

const browserLanguage = (): string => (navigator.language || 'en').split('-')[0] ?? 'en';

function Meet({ session }: { session: PageSession }) {
  const { signaling, user } = session;
  const connection = useSignalingState(signaling);
  const meet = useMeet(signaling);
  const [media, snapshot] = useLocalMedia();
  const [name, setName] = useState(() => user?.username ?? loadDisplayName());
  const [nameError, setNameError] = useState<string | null>(null);
  const [interests, setInterests] = useState('');
  const [language, setLanguage] = useState(browserLanguage);
  const [problem, setProblem] = useState<string | null>(null);
  const [reporting, setReporting] = useState<MeetMatch | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void media.start({ audio: true, video: true });
  }, [media]);

  const { state, match, reason } = meet.snapshot;

  // Errors a user can hit, in their words; the code stays on the element for tests.
  const act = async (what: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setProblem(null);
    try {
      await what();
    } catch (err) {
      setProblem(describeMeetError(err));
    } finally {
      setBusy(false);
    }
  };

  const start = (e: FormEvent): void => {
    e.preventDefault();
    const clean = user?.username ?? cleanDisplayName(name);
    if (!clean) {
      setNameError('Type the name the other person will see.');
      return;
    }
    if (!user) {
      saveDisplayName(clean);
    }
    void act(() =>
      meet.client.start({
        name: clean,
        interests: parseInterests(interests, MEET_MAX_INTERESTS),
        language,
      }),
    );
  };

  // Reporting ends a live match and finds someone new; after a match it keeps our state.
  const report = (reasonChosen: ReportReason, text: string): void => {
    const target = reporting;
    setReporting(null);
    if (target) {
      const requeue = state !== 'idle';
      void act(() => meet.client.report(target.matchId, reasonChosen, text || undefined, requeue));
    }
  };

  if ((state === 'matched' || state === 'in-call') && match) {
    return (
      <>
        <PairCall
          key={match.matchId}
          roomId={match.room}
          name={user?.username ?? cleanDisplayName(name)}
          peerName={match.peer.name}
          signaling={signaling}
          media={media}
          snapshot={snapshot}
          notice={
            match.peer.commonInterests.length > 0 ? (
              <Notice tone="info" testId="meet-common">
                You both like {match.peer.commonInterests.join(', ')}.
              </Notice>
            ) : null
          }
          actions={
            <>
              <button
                className="control control--next"
                onClick={() => void act(() => meet.client.next())}
                disabled={busy}
                aria-label="Next person"
                title="End this call and meet someone else"
                data-testid="meet-next"
              >
                <Icon name="next" size={22} />
                <span className="control__text">Next</span>
              </button>
              <ControlButton
                icon="flag"
                label="Report"
                onClick={() => setReporting(match)}
                testId="meet-report"
              />
              <ControlButton
                icon="block"
                label="Block"
                title="Block: never be paired with this person again"
                onClick={() => void act(() => meet.client.block(match.matchId))}
                testId="meet-block"
              />
            </>
          }
          onLeave={() => void act(() => meet.client.stop())}
          onFatal={(err) => {
            // The call could not start or ended under us: find someone else.
            setProblem(`The call ended: ${err.message}. Looking for someone new.`);
            void meet.client.next().catch(() => undefined);
          }}
        />
        {reporting ? (
          <ReportDialog
            peerName={reporting.peer.name}
            onCancel={() => setReporting(null)}
            onReport={report}
          />
        ) : null}
        {problem ? (
          <div className="toast" role="status" data-testid="meet-problem">
            {problem}
          </div>
        ) : null}
      </>
    );
  }

  const ended = endedLabel(reason);
  const camOn = snapshot.video.track !== null;
  const micOn = snapshot.audio.track !== null && snapshot.audio.on;
  return (
    <div className="pairing" data-testid="meet" data-state={state}>
      <header className="pairing__header">
        <Brand onClick={() => navigate('/')} />
        <nav className="pairing__nav">
          <a href="/board" onClick={(e) => (e.preventDefault(), navigate('/board'))}>
            Open-call board
          </a>
        </nav>
      </header>
      <main className="pairing__main">
        <section className="pairing__preview" aria-label="Camera preview">
          {camOn ? (
            <VideoView track={snapshot.video.track} mirror className="pairing__video" />
          ) : (
            <div className="pairing__placeholder">
              {snapshot.video.pending ? 'Starting camera…' : 'Camera is off'}
            </div>
          )}
          <div className="pairing__toggles">
            <ControlButton
              icon={micOn ? 'mic' : 'mic-off'}
              label={micOn ? 'Turn off microphone' : 'Turn on microphone'}
              onClick={() => void media.setAudio(!micOn)}
              pressed={!micOn}
              tone={micOn ? undefined : 'off'}
            />
            <ControlButton
              icon={camOn ? 'camera' : 'camera-off'}
              label={camOn ? 'Turn off camera' : 'Turn on camera'}
              onClick={() => void media.setVideo(!camOn)}
              pressed={!camOn}
              tone={camOn ? undefined : 'off'}
            />
          </div>
        </section>

        {state === 'waiting' ? (
          <section className="card pairing__card" aria-live="polite" data-testid="meet-waiting">
            {ended ? (
              <Notice testId="meet-ended">
                {ended} Looking for someone new…
                {meet.lastMatch ? (
                  <button
                    className="btn btn--ghost pairing__inline-btn"
                    onClick={() => setReporting(meet.lastMatch)}
                  >
                    Report {meet.lastMatch.peer.name}
                  </button>
                ) : null}
              </Notice>
            ) : null}
            <h1 className="card__title">Looking for someone…</h1>
            <div className="pairing__spinner" aria-hidden="true" />
            <p className="card__text" data-testid="meet-queue">
              {meet.queue ? waitingLabel(meet.queue.waiting) : 'Joining the queue…'}
              {meet.queue && estimateLabel(meet.queue.estimatedWaitMs)
                ? ` · ${estimateLabel(meet.queue.estimatedWaitMs)}`
                : ''}
            </p>
            <button
              className="btn btn--ghost btn--block"
              onClick={() => void act(() => meet.client.stop())}
              data-testid="meet-stop"
            >
              Stop
            </button>
          </section>
        ) : (
          <form className="card pairing__card" onSubmit={start} noValidate>
            <div>
              <h1 className="card__title">Meet someone new</h1>
              <p className="card__text">
                Press Start to be paired with another person for a video chat. Press Next to move on
                at any time.
              </p>
            </div>
            {user ? (
              <p className="card__text">
                You appear as <strong>{user.username}</strong>.
              </p>
            ) : (
              <NameField
                value={name}
                error={nameError}
                onChange={(next) => {
                  setName(next);
                  setNameError(null);
                }}
              />
            )}
            <label className="field">
              <span className="field__label">Interests (optional)</span>
              <input
                className="input"
                name="interests"
                placeholder="music, chess, travel"
                value={interests}
                onChange={(e) => setInterests(e.target.value)}
              />
            </label>
            <label className="field">
              <span className="field__label">Language</span>
              <select
                className="input"
                name="language"
                value={language}
                onChange={(e) => setLanguage(e.target.value)}
              >
                {LANGUAGES.map(([code, label]) => (
                  <option key={code} value={code}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            {ended ? <Notice testId="meet-ended">{ended}</Notice> : null}
            <button
              className="btn btn--primary btn--block"
              type="submit"
              disabled={busy || connection !== 'open'}
              data-testid="meet-start"
            >
              {connection === 'open' ? 'Start' : 'Connecting…'}
            </button>
          </form>
        )}
      </main>
      {problem ? (
        <div className="toast" role="status" data-testid="meet-problem">
          {problem}
        </div>
      ) : null}
      {reporting ? (
        <ReportDialog
          peerName={reporting.peer.name}
          onCancel={() => setReporting(null)}
          onReport={report}
        />
      ) : null}
    </div>
  );
}

const LANGUAGES: ReadonlyArray<[string, string]> = [
  ['en', 'English'],
  ['fr', 'Français'],
  ['es', 'Español'],
  ['de', 'Deutsch'],
  ['it', 'Italiano'],
  ['pt', 'Português'],
  ['nl', 'Nederlands'],
  ['ar', 'العربية'],
  ['zh', '中文'],
  ['ja', '日本語'],
];

function describeMeetError(err: unknown): string {
  const code = err instanceof ParleyError ? err.code : 'internal';
  switch (code) {
    case 'next_too_soon':
      return 'Slow down a little: wait a moment before pressing Next again.';
    case 'meet_disabled':
      return 'Meeting new people is turned off on this server.';
    case 'busy':
      return 'You have an open call on the board. Withdraw it first.';
    case 'timeout':
    case 'closed':
      return 'The server did not answer. Check your connection and try again.';
    default:
      return err instanceof Error ? err.message : 'Something went wrong. Try again.';
  }
}
