import { useState, type FormEvent } from 'react';
import { cleanDisplayName, loadDisplayName, saveDisplayName } from '../../app/display-name';
import { navigate } from '../../app/router';
import { Brand } from '../../ui/Brand';
import { Icon } from '../../ui/Icon';
import { NameField } from '../../ui/NameField';
import { newRoomId, parseRoomInput } from './room-id';
import './landing.css';
import { useT, type MessageKey } from '../../i18n/i18n';
import { LanguageSwitcher } from '../../ui/LanguageSwitcher';

/** Start page: your name, a new room, or join one by id or link. */
export function LandingPage() {
  const { t } = useT();
  const [name, setName] = useState(loadDisplayName);
  const [roomInput, setRoomInput] = useState('');
  const [roomError, setRoomError] = useState<MessageKey | null>(null);

  const go = (roomId: string): void => {
    const clean = cleanDisplayName(name);
    if (clean) {
      saveDisplayName(clean);
    }
    navigate(`/r/${encodeURIComponent(roomId)}`);
  };

  const onJoin = (e: FormEvent): void => {
    e.preventDefault();
    const roomId = parseRoomInput(roomInput);
    if (!roomId) {
      setRoomError(roomInput.trim() ? 'landing.join.invalid' : 'landing.join.empty');
      return;
    }
    go(roomId);
  };

  return (
    <div className="page-center landing">
      <header className="landing__header page-header">
        <Brand />
        <LanguageSwitcher />
      </header>
      <main className="card landing__card">
        <div className="landing__intro">
          <h1 className="card__title">{t('landing.title')}</h1>
          <p className="card__text">{t('landing.intro')}</p>
        </div>

        <NameField value={name} onChange={setName} />

        <button className="btn btn--primary btn--block" onClick={() => go(newRoomId())}>
          <Icon name="plus" size={18} />
          {t('landing.newRoom')}
        </button>

        <div className="landing__divider" role="separator">
          <span>{t('landing.orJoin')}</span>
        </div>

        <form className="landing__join" onSubmit={onJoin} noValidate>
          <label className="field">
            <span className="field__label">{t('landing.join.label')}</span>
            <div className="landing__join-row">
              <input
                className="input"
                name="room"
                placeholder={t('landing.join.placeholder')}
                value={roomInput}
                aria-invalid={roomError ? true : undefined}
                onChange={(e) => {
                  setRoomInput(e.target.value);
                  setRoomError(null);
                }}
              />
              <button className="btn btn--ghost" type="submit">
                {t('landing.join.button')}
              </button>
            </div>
          </label>
          {roomError ? <p className="field__error">{t(roomError)}</p> : null}
        </form>
      </main>
      <p className="landing__footer landing__links">
        <a
          href="/meet"
          onClick={(e) => {
            e.preventDefault();
            navigate('/meet');
          }}
        >
          {t('landing.links.meet')}
        </a>
        <span aria-hidden="true">·</span>
        <a
          href="/board"
          onClick={(e) => {
            e.preventDefault();
            navigate('/board');
          }}
        >
          {t('landing.links.board')}
        </a>
        <span aria-hidden="true">·</span>
        <a
          href="/contacts"
          onClick={(e) => {
            e.preventDefault();
            navigate('/contacts');
          }}
        >
          {t('landing.links.contacts')}
        </a>
      </p>
      <footer className="landing__footer">{t('landing.footer')}</footer>
    </div>
  );
}
