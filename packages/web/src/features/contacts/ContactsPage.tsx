import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { AccountsApi } from '@parley/client';
import type { PublicUser } from '@parley/protocol';
import { navigate } from '../../app/router';
import { Brand } from '../../ui/Brand';
import { Notice } from '../../ui/Notice';
import { CallScreen } from '../calls/CallScreen';
import { CallHistoryPanel } from '../calls/CallHistoryPanel';
import { IncomingCallNotice } from '../calls/IncomingCallNotice';
import { outcomeLabel } from '../calls/call-labels';
import { DmPanel } from '../dm/DmPanel';
import { RingMeButton } from '../notifications/RingMeButton';
import { useIncomingCallAlerts } from '../notifications/use-incoming-call-alerts';
import { AddContact } from './AddContact';
import { ContactList } from './ContactList';
import { DirectSession } from './direct-session';
import '../calls/calls.css';
import './contacts.css';
import { useT } from '../../i18n/i18n';
import { say } from '../../i18n/phrase';
import { LanguageSwitcher } from '../../ui/LanguageSwitcher';

/** The signed-in home: waits for the account, then runs the session. */
export function ContactsPage() {
  const [user, setUser] = useState<PublicUser | null | undefined>(undefined);
  useEffect(() => {
    new AccountsApi()
      .me()
      .then((me) => {
        if (!me) {
          navigate('/signin', { replace: true });
        }
        setUser(me);
      })
      .catch(() => setUser(null));
  }, []);
  if (!user) {
    return <div className="page-center" aria-busy="true" />;
  }
  return <SignedIn user={user} />;
}

function SignedIn({ user }: { user: PublicUser }) {
  const i18n = useT();
  const { t } = i18n;
  const [session] = useState(() => new DirectSession(user));
  const s = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const [tab, setTab] = useState<'contacts' | 'history'>('contacts');
  const [openChat, setOpenChat] = useState<string | null>(null);

  useEffect(() => {
    void session.start().catch(() => undefined);
    return () => session.close();
  }, [session]);

  const onSeen = useCallback(() => void session.markCallsSeen(), [session]);
  const chatWith = s.contacts.find((c) => c.user.id === openChat && c.status === 'accepted');
  useIncomingCallAlerts(s.ringing);

  const signOut = async (): Promise<void> => {
    session.close();
    await session.api.signOut().catch(() => undefined);
    navigate('/signin', { replace: true });
  };

  return (
    <div
      className="contacts"
      data-testid="contacts-page"
      data-user={user.username}
      data-connection={s.connection}
    >
      <header className="contacts__top">
        <Brand onClick={() => navigate('/')} />
        <span className="contacts__me">
          <span
            className={`presence presence--${s.connection === 'open' ? 'online' : 'offline'}`}
            aria-hidden="true"
          />
          <span data-testid="me">{user.username}</span>
          <LanguageSwitcher />
          <button className="btn btn--ghost" onClick={() => void signOut()}>
            {t('contacts.signOut')}
          </button>
        </span>
      </header>

      {s.problem ? (
        <Notice tone="error" onDismiss={() => session.dismissProblem()}>
          {say(s.problem, i18n)}
        </Notice>
      ) : null}
      {s.connection === 'reconnecting' ? (
        <Notice tone="warning">{t('contacts.reconnecting')}</Notice>
      ) : null}

      <div className="contacts__body">
        <aside className="contacts__side">
          <nav className="contacts__tabs" role="tablist">
            <button
              role="tab"
              aria-selected={tab === 'contacts'}
              onClick={() => setTab('contacts')}
            >
              {t('contacts.title')}
            </button>
            <button
              role="tab"
              aria-selected={tab === 'history'}
              onClick={() => setTab('history')}
              data-testid="history-tab"
            >
              {t('contacts.calls')}
              {s.missedCalls > 0 ? (
                <span
                  className="badge badge--danger"
                  data-testid="missed-badge"
                  aria-label={t('contacts.missed', { count: s.missedCalls })}
                >
                  {s.missedCalls}
                </span>
              ) : null}
            </button>
          </nav>
          {tab === 'contacts' ? (
            <>
              <AddContact onAdd={(name) => session.act((api) => api.request(name))} />
              <ContactList
                contacts={s.contacts}
                busy={s.call !== null}
                selected={openChat}
                onCall={(c, media) => void session.call(c.user, media)}
                onOpen={(c) => setOpenChat(c.user.id)}
                onAccept={(c) => void session.act((api) => api.accept(c.user.id))}
                onRemove={(c) => void session.act((api) => api.remove(c.user.id))}
                onBlock={(c) => void session.act((api) => api.block(c.user.id))}
                onUnblock={(c) => void session.act((api) => api.unblock(c.user.id))}
              />
            </>
          ) : (
            <CallHistoryPanel api={session.api} onSeen={onSeen} />
          )}
          <RingMeButton />
        </aside>
        <main className={`contacts__main${chatWith ? '' : ' contacts__main--empty'}`}>
          {chatWith ? (
            <DmPanel
              key={chatWith.user.id}
              session={session}
              contact={chatWith}
              onClose={() => setOpenChat(null)}
            />
          ) : (
            <p className="contacts__empty contacts__placeholder">{t('contacts.placeholder')}</p>
          )}
        </main>
      </div>

      <div className="incoming-stack">
        {s.ringing.map((ring) => (
          <IncomingCallNotice
            key={ring.id}
            call={ring}
            onAccept={() => void session.accept(ring.id)}
            onDecline={() => session.decline(ring.id)}
          />
        ))}
      </div>

      {s.call ? <CallScreen call={s.call} activeSince={s.activeSince} /> : null}

      {s.outcome && !s.call ? (
        <div
          className="call-outcome"
          role="status"
          data-testid="call-outcome"
          data-reason={s.outcome.reason}
        >
          <span>
            {outcomeLabel(
              s.outcome.reason,
              s.outcome.peer.username,
              s.outcome.durationSec,
              s.outcome.incoming,
            )}
          </span>
          <button className="btn btn--ghost" onClick={() => session.dismissOutcome()}>
            {t('common.ok')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
