import { useEffect, useReducer, useRef, useState, type FormEvent } from 'react';
import { DmConversation } from '@parley/client';
import type { Contact } from '@parley/protocol';
import type { DirectSession } from '../contacts/direct-session';
import './dm.css';
import { codeText, errorPhrase } from '../../i18n/error-text';
import { phrase, say, type Phrase } from '../../i18n/phrase';
import { useT } from '../../i18n/i18n';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/**
 * Direct messages with one contact: history, a composer, and every message we wrote
 * visible at once (sending… / not sent, retry) until the server has it.
 */
export function DmPanel({
  session,
  contact,
  onClose,
}: {
  session: DirectSession;
  contact: Contact;
  onClose: () => void;
}) {
  const i18n = useT();
  const { t } = i18n;
  const me = session.getSnapshot().user;
  const [conversation] = useState(
    () => new DmConversation(session.signaling, session.api, me, contact.user, storage()),
  );
  const [, refresh] = useReducer((n: number) => n + 1, 0);
  const [text, setText] = useState('');
  const [loadError, setLoadError] = useState<Phrase | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    const off = conversation.on('change', refresh);
    conversation.load().catch((err: unknown) => setLoadError(errorPhrase(err)));
    return () => {
      off();
      conversation.close();
    };
  }, [conversation]);

  const entries = conversation.entries;
  const last = entries.at(-1);
  useEffect(() => {
    const el = listRef.current;
    if (el) {
      el.scrollTop = el.scrollHeight;
    }
    // Reading the panel reads the messages: clear the badge.
    if (document.visibilityState === 'visible') {
      conversation.markRead();
    }
  }, [conversation, entries.length, last]);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (text.trim()) {
      conversation.send(text);
      setText('');
    }
  };

  return (
    <section
      className="dm"
      aria-label={t('contacts.open', { name: contact.user.username })}
      data-testid="dm-panel"
    >
      <header className="dm__header">
        <h2 className="dm__title">{contact.user.username}</h2>
        <button className="btn btn--ghost" onClick={onClose} aria-label={t('dm.close')}>
          {t('common.close')}
        </button>
      </header>
      {loadError ? (
        <p className="field__error">{say(phrase('dm.loadFailed', { reason: loadError }), i18n)}</p>
      ) : null}
      <ol className="dm__list" ref={listRef} data-testid="dm-list">
        {conversation.hasMore ? (
          <li className="dm__older">
            <button className="btn btn--ghost" onClick={() => void conversation.loadOlder()}>
              {t('dm.older')}
            </button>
          </li>
        ) : null}
        {entries.map((entry) =>
          entry.kind === 'stored' ? (
            <li
              key={`s${entry.message.id}`}
              className={`dm__msg ${entry.message.from === me.id ? 'is-mine' : ''}`}
              data-testid="dm-message"
              data-status="sent"
            >
              <span className="dm__text">{entry.message.text}</span>
              <time className="dm__time" dateTime={new Date(entry.message.sentAt).toISOString()}>
                {i18n.time(new Date(entry.message.sentAt))}
              </time>
            </li>
          ) : (
            <li
              key={`o${entry.clientId}`}
              className="dm__msg is-mine is-pending"
              data-testid="dm-message"
              data-status={entry.status}
            >
              <span className="dm__text">{entry.text}</span>
              <span className="dm__time">
                {entry.status === 'failed' ? (
                  <>
                    {entry.errorCode
                      ? t('chat.status.failedWhy', { reason: codeText(entry.errorCode, i18n) })
                      : t('chat.status.failed')}{' '}
                    <button
                      className="dm__retry"
                      onClick={() => conversation.retry(entry.clientId)}
                    >
                      {t('chat.retry')}
                    </button>{' '}
                    <button
                      className="dm__retry"
                      onClick={() => conversation.discard(entry.clientId)}
                    >
                      {t('chat.delete')}
                    </button>
                  </>
                ) : (
                  t('chat.status.sending')
                )}
              </span>
            </li>
          ),
        )}
      </ol>
      <form className="dm__composer" onSubmit={submit}>
        <input
          className="input"
          name="message"
          placeholder={t('dm.placeholder', { name: contact.user.username })}
          maxLength={4000}
          autoComplete="off"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button className="btn btn--primary" type="submit" disabled={!text.trim()}>
          {t('chat.send')}
        </button>
      </form>
    </section>
  );
}
