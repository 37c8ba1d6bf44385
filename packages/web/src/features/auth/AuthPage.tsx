import { useState, type FormEvent } from 'react';
import { AccountsApi, ParleyError } from '@parley/client';
import { navigate } from '../../app/router';
import { Brand } from '../../ui/Brand';
import { usernameProblem, passwordProblem } from './credentials';
import { signedOutNotice } from './signed-out-notice';
import './auth.css';

const api = new AccountsApi();

/** What a failed sign-in or sign-up tells the user, by error code. */
function explain(err: unknown): string {
  if (err instanceof ParleyError) {
    switch (err.code) {
      case 'bad_credentials':
        return 'Wrong username or password.';
      case 'username_taken':
        return 'That username is taken. Pick another one.';
      case 'rate_limited':
        return 'Too many attempts. Wait a few minutes and try again.';
      default:
        return err.message;
    }
  }
  return 'Could not reach the server. Check your connection and try again.';
}

/** Sign in or create an account; both end on the contacts page. */
export function AuthPage({ mode }: { mode: 'signin' | 'signup' }) {
  const [notice] = useState(() => (mode === 'signin' ? signedOutNotice(location.search) : null));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const signup = mode === 'signup';

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const problem = signup
      ? (usernameProblem(username) ?? passwordProblem(password))
      : username.trim() && password
        ? null
        : 'Enter your username and password.';
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
        <h1 className="card__title">{signup ? 'Create your account' : 'Sign in'}</h1>
        <p className="card__text">
          {signup
            ? 'An account lets your contacts call and message you.'
            : 'Call and message your contacts.'}
        </p>
        {notice ? (
          <p className="auth__notice" role="status" data-testid="auth-notice">
            {notice}
          </p>
        ) : null}
        <form className="auth__form" onSubmit={(e) => void submit(e)} noValidate>
          <label className="field">
            <span className="field__label">Username</span>
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
            {signup ? <span className="auth__hint">3–32 characters: a–z, 0–9, _ . -</span> : null}
          </label>
          <label className="field">
            <span className="field__label">Password</span>
            <input
              className="input"
              name="password"
              type="password"
              autoComplete={signup ? 'new-password' : 'current-password'}
              maxLength={256}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            {signup ? <span className="auth__hint">At least 8 characters</span> : null}
          </label>
          {error ? (
            <p className="field__error" role="alert" data-testid="auth-error">
              {error}
            </p>
          ) : null}
          <button className="btn btn--primary btn--block" type="submit" disabled={busy}>
            {signup ? 'Create account' : 'Sign in'}
          </button>
        </form>
        <p className="auth__switch">
          {signup ? 'Already have an account?' : 'New here?'}{' '}
          <a
            href={signup ? '/signin' : '/signup'}
            onClick={(e) => {
              e.preventDefault();
              setError(null);
              navigate(signup ? '/signin' : '/signup');
            }}
          >
            {signup ? 'Sign in' : 'Create an account'}
          </a>
        </p>
      </main>
    </div>
  );
}
