import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ParleyError } from '@parley/client';
import { BOARD_TOPIC_MAX, type BoardMedia, type BoardPost } from '@parley/protocol';
import { Icon } from '../../ui/Icon';
import { Notice } from '../../ui/Notice';
import { useLocalMedia } from '../media/use-local-media';
import { PairCall } from '../pairing/PairCall';
import { AppearAs, PairingHeader, usePairingName } from '../pairing/PairingIdentity';
import { usePairingAction } from '../pairing/use-pairing-action';
import { usePageSession, useSignalingState, type PageSession } from '../pairing/page-session';
import { useBoard } from './use-board';
import '../pairing/pairing.css';
import { errorPhrase } from '../../i18n/error-text';
import { useT } from '../../i18n/i18n';
import { phrase, say, type Phrase } from '../../i18n/phrase';

/** /board: open calls anyone can answer; the first answer wins and both are in a call. */
export function BoardPage() {
  const session = usePageSession();
  if (!session) {
    return <div className="page-center" aria-busy="true" />;
  }
  return <Board session={session} />;
}

function Board({ session }: { session: PageSession }) {
  const { signaling, user } = session;
  const connection = useSignalingState(signaling);
  const board = useBoard(signaling);
  const [media, snapshot] = useLocalMedia();
  const i18n = useT();
  const { t } = i18n;
  const name = usePairingName(user, 'name.missing');
  // Errors a user can hit, in their words; the code stays on the element for tests.
  const { busy, problem, setProblem, act } = usePairingAction(describeBoardError);
  const [topic, setTopic] = useState('');
  const [kind, setKind] = useState<BoardMedia>('video');
  const [, tick] = useState(0);

  // "2 min ago" stays true while the page is open.
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 15_000);
    return () => clearInterval(timer);
  }, []);

  const pairing = board.pairing;
  // A call needs the devices its post asked for; they are released when it ends.
  useEffect(() => {
    if (pairing) {
      void media.start({ audio: true, video: pairing.media === 'video' });
    }
  }, [pairing, media]);

  const post = (e: FormEvent): void => {
    e.preventDefault();
    const who = name.claim();
    if (!who) {
      return;
    }
    if (!topic.trim()) {
      setProblem(phrase('board.topicMissing'));
      return;
    }
    void act(async () => {
      await board.client.post(who, topic.trim(), kind);
      setTopic('');
    });
  };

  const answer = (p: BoardPost): void => {
    const who = name.claim();
    if (who) {
      void act(() => board.client.answer(p.id, who));
    }
  };

  if (pairing) {
    return (
      <PairCall
        key={pairing.room}
        roomId={pairing.room}
        name={name.shown()}
        peerName={pairing.peer.name}
        signaling={signaling}
        media={media}
        snapshot={snapshot}
        notice={
          <Notice testId="board-topic-notice">
            {t('board.topicNotice', { topic: pairing.topic })}
          </Notice>
        }
        onLeave={() => {
          media.stop();
          board.endPairing();
        }}
        onFatal={(err) => {
          media.stop();
          board.endPairing();
          setProblem(phrase('board.callEnded', { reason: errorPhrase(err) }));
        }}
      />
    );
  }

  const mine = board.posts.filter((p) => board.client.isMine(p.id));
  const others = board.posts.filter((p) => !board.client.isMine(p.id));
  const maxTopic = board.limits?.maxTopicLength ?? BOARD_TOPIC_MAX;

  return (
    <div className="pairing board" data-testid="board">
      <PairingHeader other="/meet" label={t('landing.links.meet')} />
      <main className="board__main">
        <form className="card board__form" onSubmit={post} noValidate data-testid="board-form">
          <h1 className="card__title">{t('landing.links.board')}</h1>
          <p className="card__text">{t('board.intro')}</p>
          <AppearAs name={name} />
          <label className="field">
            <span className="field__label">{t('board.topic')}</span>
            <input
              className="input"
              name="topic"
              placeholder={t('board.topic.placeholder')}
              maxLength={maxTopic}
              value={topic}
              onChange={(e) => setTopic(e.target.value)}
              data-testid="board-topic"
            />
          </label>
          <fieldset className="board__kind">
            <legend className="field__label">{t('board.kind')}</legend>
            {(['video', 'audio'] as const).map((k) => (
              <label key={k} className="board__kind-option">
                <input
                  type="radio"
                  name="kind"
                  value={k}
                  checked={kind === k}
                  onChange={() => setKind(k)}
                />
                {k === 'video' ? t('board.kind.video') : t('board.kind.audio')}
              </label>
            ))}
          </fieldset>
          <button
            className="btn btn--primary btn--block"
            type="submit"
            disabled={busy || connection !== 'open'}
            data-testid="board-post"
          >
            <Icon name="plus" size={18} />
            {t('board.post')}
          </button>
          {board.ownRemoved === 'expired' ? (
            <Notice testId="board-expired">{t('board.expired')}</Notice>
          ) : null}
        </form>

        <section className="board__list" aria-live="polite" aria-label={t('board.list')}>
          {mine.length > 0 ? (
            <Notice tone="info" testId="board-mine-notice">
              {t('board.mine')}
            </Notice>
          ) : null}
          {mine.map((p) => (
            <PostCard key={p.id} post={p} mine>
              <button
                className="btn btn--ghost"
                onClick={() => void act(() => board.client.withdraw(p.id))}
                disabled={busy}
                data-testid="board-withdraw"
              >
                {t('contacts.withdraw')}
              </button>
            </PostCard>
          ))}
          {others.length === 0 ? (
            <p className="board__empty" data-testid="board-empty">
              {connection === 'open' ? t('board.empty') : t('call.status.connecting')}
            </p>
          ) : (
            others.map((p) => (
              <PostCard key={p.id} post={p}>
                <button
                  className="btn btn--primary"
                  onClick={() => answer(p)}
                  disabled={busy}
                  data-testid="board-answer"
                >
                  {t('board.answer')}
                </button>
              </PostCard>
            ))
          )}
        </section>
      </main>
      {problem ? (
        <div className="toast" role="status" data-testid="board-problem">
          {say(problem, i18n)}
        </div>
      ) : null}
    </div>
  );
}

function PostCard({
  post,
  mine = false,
  children,
}: {
  post: BoardPost;
  mine?: boolean;
  children: ReactNode;
}) {
  const i18n = useT();
  const { t } = i18n;
  return (
    <article
      className={`board__post${mine ? ' board__post--mine' : ''}`}
      data-testid="board-entry"
      data-post-id={post.id}
    >
      <div className="board__post-icon" aria-hidden="true">
        <Icon name={post.media === 'video' ? 'camera' : 'mic'} />
      </div>
      <div className="board__post-body">
        <p className="board__post-topic">{post.topic}</p>
        <p className="board__post-meta">
          {mine ? t('chat.you') : post.name} ·{' '}
          {post.media === 'video' ? t('board.meta.video') : t('board.meta.audio')} ·{' '}
          {i18n.relative(post.postedAt)}
        </p>
      </div>
      {children}
    </article>
  );
}

function describeBoardError(err: unknown): Phrase {
  const code = err instanceof ParleyError ? err.code : 'internal';
  switch (code) {
    case 'post_gone':
      return phrase('board.error.postGone');
    case 'too_many_posts':
      return phrase('board.error.tooManyPosts');
    case 'board_full':
      return phrase('board.error.full');
    case 'topic_too_long':
      return phrase('board.error.topicTooLong');
    case 'busy':
      return phrase('board.error.busy');
    case 'timeout':
    case 'closed':
      return phrase('meet.error.noAnswer');
    default:
      return errorPhrase(err);
  }
}
