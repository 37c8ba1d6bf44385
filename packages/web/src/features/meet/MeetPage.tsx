import { useEffect, useState, type FormEvent } from 'react';
import { MEET_MAX_INTERESTS, type MeetMatch, type ReportReason } from '@parley/protocol';
import { ParleyError } from '@parley/client';
import { ControlButton } from '../../ui/ControlButton';
import { Icon } from '../../ui/Icon';
import { Notice } from '../../ui/Notice';
import { VideoView } from '../../ui/VideoView';
import { useLocalMedia } from '../media/use-local-media';
import { PairCall } from '../pairing/PairCall';
import { AppearAs, PairingHeader, usePairingName } from '../pairing/PairingIdentity';
import { usePairingAction } from '../pairing/use-pairing-action';
import { usePageSession, useSignalingState, type PageSession } from '../pairing/page-session';
import { ReportDialog } from './ReportDialog';
import { endedLabel, estimateLabel, parseInterests, waitingLabel } from './meet-labels';
import { useMeet } from './use-meet';
import '../pairing/pairing.css';
import { errorPhrase } from '../../i18n/error-text';
import { useT } from '../../i18n/i18n';
import { phrase, say, type Phrase } from '../../i18n/phrase';

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
  const i18n = useT();
  const { t } = i18n;
  const name = usePairingName(user, 'meet.nameMissing');
  // Errors a user can hit, in their words; the code stays on the element for tests.
  const { busy, problem, setProblem, act } = usePairingAction(describeMeetError);
  const [interests, setInterests] = useState('');
  const [language, setLanguage] = useState(browserLanguage);
  const [reporting, setReporting] = useState<MeetMatch | null>(null);

  useEffect(() => {
    void media.start({ audio: true, video: true });
  }, [media]);

  const { state, match, reason } = meet.snapshot;

  const start = (e: FormEvent): void => {
    e.preventDefault();
    const clean = name.claim();
    if (!clean) {
      return;
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
          name={name.shown()}
          peerName={match.peer.name}
          signaling={signaling}
          media={media}
          snapshot={snapshot}
          notice={
            match.peer.commonInterests.length > 0 ? (
              <Notice tone="info" testId="meet-common">
                {t('meet.common', { interests: match.peer.commonInterests.join(', ') })}
              </Notice>
            ) : null
          }
          actions={
            <>
              <button
                className="control control--next"
                onClick={() => void act(() => meet.client.next())}
                disabled={busy}
                aria-label={t('meet.next.label')}
                title={t('meet.next.title')}
                data-testid="meet-next"
              >
                <Icon name="next" size={22} />
                <span className="control__text">{t('meet.next')}</span>
              </button>
              <ControlButton
                icon="flag"
                label={t('meet.report.send')}
                onClick={() => setReporting(match)}
                testId="meet-report"
              />
              <ControlButton
                icon="block"
                label={t('contacts.block')}
                title={t('meet.block.title')}
                onClick={() => void act(() => meet.client.block(match.matchId))}
                testId="meet-block"
              />
            </>
          }
          onLeave={() => void act(() => meet.client.stop())}
          onFatal={(err) => {
            // The call could not start or ended under us: find someone else.
            setProblem(phrase('meet.callEnded', { reason: errorPhrase(err) }));
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
            {say(problem, i18n)}
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
      <PairingHeader other="/board" label={t('landing.links.board')} />
      <main className="pairing__main">
        <section className="pairing__preview" aria-label={t('prejoin.preview')}>
          {camOn ? (
            <VideoView track={snapshot.video.track} mirror className="pairing__video" />
          ) : (
            <div className="pairing__placeholder">
              {snapshot.video.pending ? t('prejoin.cameraStarting') : t('prejoin.cameraOff')}
            </div>
          )}
          <div className="pairing__toggles">
            <ControlButton
              icon={micOn ? 'mic' : 'mic-off'}
              label={micOn ? t('media.mic.turnOff') : t('media.mic.turnOn')}
              onClick={() => void media.setAudio(!micOn)}
              pressed={!micOn}
              tone={micOn ? undefined : 'off'}
            />
            <ControlButton
              icon={camOn ? 'camera' : 'camera-off'}
              label={camOn ? t('media.camera.turnOff') : t('media.camera.turnOn')}
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
                {t('meet.endedLooking', { ended })}
                {meet.lastMatch ? (
                  <button
                    className="btn btn--ghost pairing__inline-btn"
                    onClick={() => setReporting(meet.lastMatch)}
                  >
                    {t('meet.report.title', { name: meet.lastMatch.peer.name })}
                  </button>
                ) : null}
              </Notice>
            ) : null}
            <h1 className="card__title">{t('meet.looking')}</h1>
            <div className="pairing__spinner" aria-hidden="true" />
            <p className="card__text" data-testid="meet-queue">
              {meet.queue ? waitingLabel(meet.queue.waiting) : t('meet.joiningQueue')}
              {meet.queue && estimateLabel(meet.queue.estimatedWaitMs)
                ? ` · ${estimateLabel(meet.queue.estimatedWaitMs)}`
                : ''}
            </p>
            <button
              className="btn btn--ghost btn--block"
              onClick={() => void act(() => meet.client.stop())}
              data-testid="meet-stop"
            >
              {t('meet.stop')}
            </button>
          </section>
        ) : (
          <form className="card pairing__card" onSubmit={start} noValidate>
            <div>
              <h1 className="card__title">{t('landing.links.meet')}</h1>
              <p className="card__text">{t('meet.intro')}</p>
            </div>
            <AppearAs name={name} />
            <label className="field">
              <span className="field__label">{t('meet.interests')}</span>
              <input
                className="input"
                name="interests"
                placeholder={t('meet.interests.placeholder')}
                value={interests}
                onChange={(e) => setInterests(e.target.value)}
              />
            </label>
            <label className="field">
              <span className="field__label">{t('meet.language')}</span>
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
              {connection === 'open' ? t('meet.start') : t('call.status.connecting')}
            </button>
          </form>
        )}
      </main>
      {problem ? (
        <div className="toast" role="status" data-testid="meet-problem">
          {say(problem, i18n)}
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

function describeMeetError(err: unknown): Phrase {
  const code = err instanceof ParleyError ? err.code : 'internal';
  switch (code) {
    case 'next_too_soon':
      return phrase('meet.error.nextTooSoon');
    case 'busy':
      return phrase('meet.error.busy');
    case 'timeout':
    case 'closed':
      return phrase('meet.error.noAnswer');
    default:
      return errorPhrase(err);
  }
}
