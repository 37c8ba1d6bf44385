import type { Contact, CallMedia } from '@parley/protocol';
import { ControlButton } from '../../ui/ControlButton';
import { useT, type MessageKey } from '../../i18n/i18n';

const PRESENCE_LABEL = {
  online: 'contacts.presence.online',
  in_call: 'contacts.presence.inCall',
  offline: 'contacts.presence.offline',
} as const satisfies Record<string, MessageKey>;

/** Accepted contacts with presence and call buttons; requests with accept/decline. */
export function ContactList({
  contacts,
  busy,
  selected,
  onCall,
  onOpen,
  onAccept,
  onRemove,
  onBlock,
  onUnblock,
}: {
  contacts: Contact[];
  /** A call is in progress here: no new ones. */
  busy: boolean;
  selected: string | null;
  onCall: (c: Contact, media: CallMedia) => void;
  onOpen: (c: Contact) => void;
  onAccept: (c: Contact) => void;
  onRemove: (c: Contact) => void;
  onBlock: (c: Contact) => void;
  onUnblock: (c: Contact) => void;
}) {
  const { t } = useT();
  const accepted = contacts.filter((c) => c.status === 'accepted');
  const incoming = contacts.filter((c) => c.status === 'incoming');
  const outgoing = contacts.filter((c) => c.status === 'outgoing');
  const blocked = contacts.filter((c) => c.status === 'blocked');

  return (
    <div className="contacts__lists">
      {incoming.length > 0 ? (
        <section aria-label={t('contacts.requests.label')}>
          <h2 className="contacts__heading">{t('contacts.requests')}</h2>
          <ul className="contacts__list">
            {incoming.map((c) => (
              <li
                key={c.user.id}
                className="contact"
                data-testid="contact-request"
                data-username={c.user.username}
              >
                <span className="contact__name">{c.user.username}</span>
                <span className="contact__actions">
                  <button className="btn btn--primary" onClick={() => onAccept(c)}>
                    {t('contacts.accept')}
                  </button>
                  <button className="btn btn--ghost" onClick={() => onRemove(c)}>
                    {t('contacts.decline')}
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-label={t('contacts.title')}>
        <h2 className="contacts__heading">{t('contacts.title')}</h2>
        {accepted.length === 0 ? (
          <p className="contacts__empty">{t('contacts.empty')}</p>
        ) : (
          <ul className="contacts__list">
            {accepted.map((c) => (
              <li
                key={c.user.id}
                className={`contact ${selected === c.user.id ? 'is-selected' : ''}`}
                data-testid="contact"
                data-username={c.user.username}
                data-presence={c.presence}
              >
                <button
                  className="contact__open"
                  onClick={() => onOpen(c)}
                  aria-label={t('contacts.open', { name: c.user.username })}
                >
                  <span className={`presence presence--${c.presence}`} aria-hidden="true" />
                  <span className="contact__who">
                    <span className="contact__name">{c.user.username}</span>
                    <span className="contact__presence">{t(PRESENCE_LABEL[c.presence])}</span>
                  </span>
                  {c.unread > 0 ? (
                    <span
                      className="badge"
                      data-testid="unread"
                      aria-label={t('contacts.unread', { count: c.unread })}
                    >
                      {c.unread}
                    </span>
                  ) : null}
                </button>
                <span className="contact__actions">
                  <ControlButton
                    icon="mic"
                    label={t('contacts.voiceCall.label', { name: c.user.username })}
                    title={t('contacts.voiceCall')}
                    small
                    disabled={busy}
                    onClick={() => onCall(c, 'audio')}
                    testId="call-audio"
                  />
                  <ControlButton
                    icon="camera"
                    label={t('contacts.videoCall.label', { name: c.user.username })}
                    title={t('contacts.videoCall')}
                    small
                    disabled={busy}
                    onClick={() => onCall(c, 'video')}
                    testId="call-video"
                  />
                  <details className="contact__more">
                    <summary aria-label={t('contacts.more', { name: c.user.username })}>⋯</summary>
                    <div className="contact__menu">
                      <button className="btn btn--ghost" onClick={() => onRemove(c)}>
                        {t('contacts.remove')}
                      </button>
                      <button className="btn btn--danger" onClick={() => onBlock(c)}>
                        {t('contacts.block')}
                      </button>
                    </div>
                  </details>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {outgoing.length > 0 ? (
        <section aria-label={t('contacts.sent.label')}>
          <h2 className="contacts__heading">{t('contacts.sent')}</h2>
          <ul className="contacts__list">
            {outgoing.map((c) => (
              <li
                key={c.user.id}
                className="contact"
                data-testid="contact-outgoing"
                data-username={c.user.username}
              >
                <span className="contact__name">{c.user.username}</span>
                <button className="btn btn--ghost" onClick={() => onRemove(c)}>
                  {t('contacts.withdraw')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {blocked.length > 0 ? (
        <section aria-label={t('contacts.blocked')}>
          <h2 className="contacts__heading">{t('contacts.blocked')}</h2>
          <ul className="contacts__list">
            {blocked.map((c) => (
              <li key={c.user.id} className="contact" data-username={c.user.username}>
                <span className="contact__name">{c.user.username}</span>
                <button className="btn btn--ghost" onClick={() => onUnblock(c)}>
                  {t('contacts.unblock')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
