import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ChatEntry } from '@parley/client';
import { formatTime, typingText } from './format';
import { MessageText } from './MessageText';
import type { ChatState } from './use-chat';
import './chat.css';
import { errorPhrase, errorText } from '../../i18n/error-text';
import { phrase, say, type Phrase } from '../../i18n/phrase';
import { getI18n, useT, type I18n, type MessageKey } from '../../i18n/i18n';

const STATUS_TEXT: Record<Exclude<ChatEntry['status'], 'sent'>, MessageKey> = {
  pending: 'chat.status.pending',
  sending: 'chat.status.sending',
  failed: 'chat.status.failed',
};

function ChatLine({
  entry,
  showHeader,
  onRetry,
  onDiscard,
}: {
  entry: ChatEntry;
  showHeader: boolean;
  onRetry: () => void;
  onDiscard: () => void;
}) {
  const i18n = useT();
  const { t } = i18n;
  return (
    <li
      className={`chat__line${entry.own ? ' chat__line--own' : ''}`}
      data-testid="chat-message"
      data-status={entry.status}
      data-own={entry.own ? 'true' : 'false'}
    >
      {showHeader ? (
        <div className="chat__meta">
          <span className="chat__name">{entry.own ? t('chat.you') : entry.name}</span>
          <time className="chat__time" dateTime={new Date(entry.ts).toISOString()}>
            {formatTime(entry.ts, i18n)}
          </time>
        </div>
      ) : null}
      <div className={`chat__bubble chat__bubble--${entry.status}`}>
        <MessageText text={entry.text} />
      </div>
      {entry.status !== 'sent' ? (
        <div className="chat__status" role={entry.status === 'failed' ? 'alert' : undefined}>
          {entry.status === 'failed' && entry.error
            ? t('chat.status.failedWhy', { reason: errorText(entry.error, i18n) })
            : t(STATUS_TEXT[entry.status])}
          {entry.status === 'failed' ? (
            <>
              <button className="chat__link-btn" onClick={onRetry} data-testid="chat-retry">
                {t('chat.retry')}
              </button>
              <button className="chat__link-btn" onClick={onDiscard}>
                {t('chat.delete')}
              </button>
            </>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

/**
 * The room's chat: history with your own messages' delivery state, who is typing, and
 * a composer (Enter sends, Shift+Enter breaks the line). Text is always shown as text.
 */
export function ChatPanel({ state }: { state: ChatState }) {
  const i18n = useT();
  const { t } = i18n;
  const { chat, entries, typing, limits } = state;
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<Phrase | null>(null);
  const [atBottom, setAtBottom] = useState(true);
  const [unseen, setUnseen] = useState(0);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const listRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const lastCount = useRef(entries.length);
  const lastKey = useRef<string | undefined>(entries[entries.length - 1]?.key);

  const scrollToEnd = (): void => {
    const el = listRef.current;
    if (el) {
      el.scrollTop = el.scrollHeight;
    }
    setUnseen(0);
  };

  // Follow new messages while the reader is at the bottom; otherwise count them.
  useLayoutEffect(() => {
    const newestKey = entries[entries.length - 1]?.key;
    const grew = entries.length > lastCount.current && newestKey !== lastKey.current;
    const ownNew = grew && entries[entries.length - 1]?.own;
    if (grew && !atBottom && !ownNew) {
      // Read the ref now: the updater runs later, after the ref has moved on.
      const added = entries.length - lastCount.current;
      setUnseen((n) => n + added);
    } else if (grew || atBottom) {
      const el = listRef.current;
      if (el) {
        el.scrollTop = el.scrollHeight;
      }
    }
    lastCount.current = entries.length;
    lastKey.current = newestKey;
  }, [entries, atBottom]);

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  const onScroll = (): void => {
    const el = listRef.current;
    if (!el) {
      return;
    }
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    setAtBottom(bottom);
    if (bottom) {
      setUnseen(0);
    }
  };

  const submit = (): void => {
    if (!chat || draft.trim().length === 0) {
      return;
    }
    try {
      chat.send(draft);
      setDraft('');
      setError(null);
      requestAnimationFrame(scrollToEnd);
    } catch (err) {
      setError(errorPhrase(err));
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  const loadOlder = async (): Promise<void> => {
    const el = listRef.current;
    const before = el ? el.scrollHeight - el.scrollTop : 0;
    setLoadingOlder(true);
    try {
      await chat?.loadOlder();
    } catch (err) {
      setError(phrase('chat.olderFailed', { reason: errorPhrase(err) }));
    } finally {
      setLoadingOlder(false);
      // Keep the reader's place: what they were reading stays where it was.
      requestAnimationFrame(() => {
        if (el) {
          el.scrollTop = el.scrollHeight - before;
        }
      });
    }
  };

  const max = limits?.maxLength ?? 4000;

  const length = [...draft.trim()].length;
  const tooLong = length > max;

  return (
    <section className="chat" data-testid="chat-panel" aria-label={t('room.panel.chat')}>
      <div className="chat__scroll" ref={listRef} onScroll={onScroll}>
        {chat?.hasOlder ? (
          <button
            className="chat__older btn btn--ghost"
            onClick={() => void loadOlder()}
            disabled={loadingOlder}
            data-testid="chat-older"
          >
            {loadingOlder ? t('chat.loading') : t('chat.older')}
          </button>
        ) : null}
        {limits ? (
          <p className="chat__note" data-testid="chat-retention">
            {retentionNote(limits, i18n)}
          </p>
        ) : null}
        {entries.length === 0 ? <p className="chat__empty">{t('chat.empty')}</p> : null}
        {/* The log wraps the list: role="log" on the <ol> would unmake it a list. */}
        <div role="log" aria-live="polite" aria-relevant="additions">
          <ol className="chat__list">
            {entries.map((entry, i) => {
              const prev = entries[i - 1];
              const showHeader =
                !prev ||
                prev.from !== entry.from ||
                prev.own !== entry.own ||
                entry.ts - prev.ts > 5 * 60_000;
              return (
                <ChatLine
                  key={entry.key}
                  entry={entry}
                  showHeader={showHeader}
                  onRetry={() => chat?.retry(entry.clientId)}
                  onDiscard={() => chat?.discard(entry.clientId)}
                />
              );
            })}
          </ol>
        </div>
      </div>
      {!atBottom && unseen > 0 ? (
        <button className="chat__jump" onClick={scrollToEnd} data-testid="chat-jump">
          {t('chat.unseen', { count: unseen })}
        </button>
      ) : !atBottom ? (
        <button className="chat__jump" onClick={scrollToEnd} data-testid="chat-jump">
          {t('chat.jump')}
        </button>
      ) : null}
      <div className="chat__typing" data-testid="chat-typing" aria-live="polite">
        {typingText(
          typing.map((person) => person.name),
          i18n,
        )}
      </div>
      <form
        className="chat__composer"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <textarea
          ref={inputRef}
          className="chat__input"
          value={draft}
          rows={1}
          placeholder={t('chat.placeholder')}
          aria-label={t('chat.placeholder')}
          data-testid="chat-input"
          onChange={(e) => {
            setDraft(e.target.value);
            chat?.setTyping(e.target.value.trim().length > 0);
          }}
          onBlur={() => chat?.setTyping(false)}
          onKeyDown={onKeyDown}
        />
        <button
          className="btn btn--primary chat__send"
          type="submit"
          disabled={!chat || length === 0 || tooLong}
          data-testid="chat-send"
        >
          {t('chat.send')}
        </button>
      </form>
      {tooLong || length > max - 200 ? (
        <div className={`chat__counter${tooLong ? ' chat__counter--over' : ''}`}>
          {i18n.number(length)} / {i18n.number(max)}
        </div>
      ) : null}
      {error ? (
        <div className="chat__error" role="alert">
          {say(error, i18n)}
        </div>
      ) : null}
    </section>
  );
}

/** What happens to what people write here: who can read it, and for how long. */
export function retentionNote(
  limits: {
    retentionDays?: number | undefined;
    retentionMessages?: number | undefined;
  },
  { t }: I18n = getI18n(),
): string {
  const days = limits.retentionDays ?? 0;
  const count = limits.retentionMessages ?? 0;
  if (days > 0 && count > 0) {
    return t('chat.retention.daysAndCount', {
      days: t('chat.retention.days', { count: days }),
      messages: t('chat.retention.messages', { count }),
    });
  }
  if (days > 0) {
    return t('chat.retention.daysOnly', { days: t('chat.retention.days', { count: days }) });
  }
  if (count > 0) {
    return t('chat.retention.countOnly', { messages: t('chat.retention.messages', { count }) });
  }
  return t('chat.retention.server');
}
