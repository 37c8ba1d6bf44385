import { useState } from 'react';
import { navigate } from '../../app/router';
import { Brand } from '../../ui/Brand';
import { useT } from '../../i18n/i18n';
import { Rich } from '../../i18n/Rich';
import { LanguageSwitcher } from '../../ui/LanguageSwitcher';

/** "This room needs a password": asked when a join is refused for want of the right one. */
export function PasswordPage({
  roomId,
  wrong,
  onSubmit,
}: {
  roomId: string;
  /** The last password tried was not the room's. */
  wrong: boolean;
  onSubmit: (password: string) => void;
}) {
  const { t } = useT();
  const [password, setPassword] = useState('');
  return (
    <div className="page-center">
      <Brand onClick={() => navigate('/')} />
      <form
        className="card"
        data-testid="password-page"
        onSubmit={(e) => {
          e.preventDefault();
          if (password) {
            onSubmit(password);
          }
        }}
      >
        <h1 className="card__title">{t('password.title')}</h1>
        <p className="card__text">
          <Rich text={t('password.text')} values={{ room: <strong>{roomId}</strong> }} />
        </p>
        <label className="field">
          <span className="field__label">{t('password.label')}</span>
          <input
            type="password"
            value={password}
            maxLength={128}
            autoFocus
            autoComplete="off"
            onChange={(e) => setPassword(e.target.value)}
            data-testid="room-password"
          />
          {wrong ? (
            <span className="field__error" role="alert" data-testid="wrong-password">
              {t('password.wrong')}
            </span>
          ) : null}
        </label>
        <div className="card__actions">
          <button className="btn btn--primary" type="submit" disabled={!password}>
            {t('password.join')}
          </button>
          <button className="btn btn--ghost" type="button" onClick={() => navigate('/')}>
            {t('common.startPageShort')}
          </button>
        </div>
      </form>
      <LanguageSwitcher />
    </div>
  );
}
