import type { Contact, CallMedia } from '@parley/protocol';
import { ControlButton } from '../../ui/ControlButton';

const PRESENCE_LABEL = { online: 'Online', in_call: 'In a call', offline: 'Offline' } as const;

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
  const accepted = contacts.filter((c) => c.status === 'accepted');
  const incoming = contacts.filter((c) => c.status === 'incoming');
  const outgoing = contacts.filter((c) => c.status === 'outgoing');
  const blocked = contacts.filter((c) => c.status === 'blocked');

  return (
    <div className="contacts__lists">
      {incoming.length > 0 ? (
        <section aria-label="Contact requests">
          <h2 className="contacts__heading">Requests</h2>
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
                    Accept
                  </button>
                  <button className="btn btn--ghost" onClick={() => onRemove(c)}>
                    Decline
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-label="Contacts">
        <h2 className="contacts__heading">Contacts</h2>
        {accepted.length === 0 ? (
          <p className="contacts__empty">No contacts yet. Add someone by their username.</p>
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
                  aria-label={`Messages with ${c.user.username}`}
                >
                  <span className={`presence presence--${c.presence}`} aria-hidden="true" />
                  <span className="contact__who">
                    <span className="contact__name">{c.user.username}</span>
                    <span className="contact__presence">{PRESENCE_LABEL[c.presence]}</span>
                  </span>
                  {c.unread > 0 ? (
                    <span className="badge" data-testid="unread" aria-label={`${c.unread} unread`}>
                      {c.unread}
                    </span>
                  ) : null}
                </button>
                <span className="contact__actions">
                  <ControlButton
                    icon="mic"
                    label={`Voice call ${c.user.username}`}
                    title="Voice call"
                    small
                    disabled={busy}
                    onClick={() => onCall(c, 'audio')}
                    testId="call-audio"
                  />
                  <ControlButton
                    icon="camera"
                    label={`Video call ${c.user.username}`}
                    title="Video call"
                    small
                    disabled={busy}
                    onClick={() => onCall(c, 'video')}
                    testId="call-video"
                  />
                  <details className="contact__more">
                    <summary aria-label={`More for ${c.user.username}`}>⋯</summary>
                    <div className="contact__menu">
                      <button className="btn btn--ghost" onClick={() => onRemove(c)}>
                        Remove contact
                      </button>
                      <button className="btn btn--danger" onClick={() => onBlock(c)}>
                        Block
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
        <section aria-label="Sent requests">
          <h2 className="contacts__heading">Waiting for an answer</h2>
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
                  Withdraw
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {blocked.length > 0 ? (
        <section aria-label="Blocked">
          <h2 className="contacts__heading">Blocked</h2>
          <ul className="contacts__list">
            {blocked.map((c) => (
              <li key={c.user.id} className="contact" data-username={c.user.username}>
                <span className="contact__name">{c.user.username}</span>
                <button className="btn btn--ghost" onClick={() => onUnblock(c)}>
                  Unblock
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
