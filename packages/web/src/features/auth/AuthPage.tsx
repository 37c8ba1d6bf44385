import { useState, type FormEvent } from 'react';
import { AccountsApi, ParleyError } from '@parley/client';
import { navigate } from '../../app/router';
import { Brand } from '../../ui/Brand';
import { usernameProblem, passwordProblem } from './credentials';
import { signedOutNotice } from './signed-out-notice';
import './auth.css';
import { codePhrase, errorPhrase } from '../../i18n/error-text';
import { useT } from '../../i18n/i18n';
import { phrase, say, type Phrase } from '../../i18n/phrase';
import { LanguageSwitcher } from '../../ui/LanguageSwitcher';

const api = new AccountsApi();

/** What a failed sign-in or sign-up tells the user, by error code. */
function explain(err: unknown): Phrase {
  if (err instanceof ParleyError && err.code === 'rate_limited') {
    return phrase('auth.error.tooManyAttempts');
  }
  // Anything that is not the server's answer means the server was not reached.
  return err instanceof ParleyError ? errorPhrase(err) : codePhrase('network');
}

/** Sign in or create an account; both end on the contacts page. */
export function AuthPage({ mode }: { mode: 'signin' | 'signup' }) {
  const i18n = useT();
  const { t } = i18n;
  const [notice] = useState(() => (mode === 'signin' ? signedOutNotice(location.search) : null));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<Phrase | null>(null);
  const [busy, setBusy] = useState(false);
  const signup = mode === 'signup';

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const problem = signup
      ? (usernameProblem(username) ?? passwordProblem(password))
      : username.trim() && password
        ? null
        : phrase('auth.error.missing');
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await (signup ? api.register(username, password) : api.signIn(username, password));
      navigate('/contacts', { replace: true });
    } catch (err) {
      setError(explain(err));
      setBusy(false);
    }
  };

  return (
    <div className="page-center auth">
      <Brand onClick={() => navigate('/')} />
      <main className="card auth__card">
        <h1 className="card__title">{signup ? t('auth.signup.title') : t('auth.signin.title')}</h1>
        <p className="card__text">{signup ? t('auth.signup.text') : t('auth.signin.text')}</p>
        {notice ? (
          <p className="auth__notice" role="status" data-testid="auth-notice">
            {say(notice, i18n)}
          </p>
        ) : null}
        <form className="auth__form" onSubmit={(e) => void submit(e)} noValidate>
          <label className="field">
            <span className="field__label">{t('auth.username')}</span>
            <input
              className="input"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={32}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
            {signup ? <span className="auth__hint">{t('auth.username.hint')}</span> : null}
          </label>
          <label className="field">
            <span className="field__label">{t('auth.password')}</span>
            <input
              className="input"
              name="password"
              type="password"
              autoComplete={signup ? 'new-password' : 'current-password'}
              maxLength={256}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            {signup ? <span className="auth__hint">{t('auth.password.hint')}</span> : null}
          </label>
          {error ? (
            <p className="field__error" role="alert" data-testid="auth-error">
              {say(error, i18n)}
            </p>
          ) : null}
          <button className="btn btn--primary btn--block" type="submit" disabled={busy}>
            {signup ? t('auth.signup.submit') : t('auth.signin.submit')}
          </button>
        </form>
        <p className="auth__switch">
          {signup ? t('auth.signup.switchText') : t('auth.signin.switchText')}{' '}
          <a
            href={signup ? '/signin' : '/signup'}
            onClick={(e) => {
              e.preventDefault();
              setError(null);
              navigate(signup ? '/signin' : '/signup');
            }}
          >
            {signup ? t('auth.signup.switchLink') : t('auth.signin.switchLink')}
          </a>
        </p>
      </main>
      <LanguageSwitcher />
    </div>
  );
}
