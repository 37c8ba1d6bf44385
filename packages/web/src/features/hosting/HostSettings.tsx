import { useState } from 'react';
import type { LobbyWaiter, RoomAccess, RoomHosting } from '@parley/client';
import { errorPhrase } from '../../i18n/error-text';
import { say, type Phrase } from '../../i18n/phrase';
import { useT } from '../../i18n/i18n';

/**
 * The host's side of the People panel: who waits in the lobby (let in / turn away), and
 * the room's access (password, lock, lobby) and "End for everyone". The server checks
 * every action; a refusal shows here in plain words.
 */
export function HostSettings({
  hosting,
  access,
  waiters,
}: {
  hosting: RoomHosting;
  access: RoomAccess;
  waiters: LobbyWaiter[];
}) {
  const i18n = useT();
  const { t } = i18n;
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<Phrase | null>(null);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const run = (action: Promise<unknown>): void => {
    setProblem(null);
    // The server's refusal, shown from its stable code.
    action.catch((err: unknown) => setProblem(errorPhrase(err)));
  };

  return (
    <section className="host" aria-label={t('host.controls')} data-testid="host-settings">
      {waiters.length > 0 ? (
        <div className="host__lobby" data-testid="lobby-list">
          <h3 className="host__title">{t('host.waiting', { count: waiters.length })}</h3>
          <ul className="host__waiters">
            {waiters.map((w) => (
              <li className="host__waiter" key={w.id} data-testid="lobby-waiter">
                <span className="host__waiter-name">{w.name}</span>
                <button
                  className="btn btn--primary btn--small"
                  onClick={() => run(hosting.answer(w.id, true))}
                >
                  {t('host.admit')}
                </button>
                <button
                  className="btn btn--ghost btn--small"
                  onClick={() => run(hosting.answer(w.id, false))}
                >
                  {t('host.deny')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <h3 className="host__title">{t('host.access')}</h3>
      <label className="host__toggle">
        <input
          type="checkbox"
          checked={access.locked}
          onChange={(e) => run(hosting.setLocked(e.target.checked))}
          data-testid="host-lock"
        />
        {t('host.lock')}
      </label>
      <label className="host__toggle">
        <input
          type="checkbox"
          checked={access.lobby}
          onChange={(e) => run(hosting.setLobby(e.target.checked))}
          data-testid="host-lobby"
        />
        {t('host.lobby')}
      </label>
      <form
        className="host__password"
        onSubmit={(e) => {
          e.preventDefault();
          if (password) {
            run(hosting.setPassword(password).then(() => setPassword('')));
          }
        }}
      >
        <input
          type="password"
          value={password}
          maxLength={128}
          placeholder={access.password ? t('host.password.new') : t('host.password.set')}
          aria-label={t('password.label')}
          autoComplete="new-password"
          onChange={(e) => setPassword(e.target.value)}
          data-testid="host-password"
        />
        <button className="btn btn--small" type="submit" disabled={!password}>
          {t('host.password.submit')}
        </button>
        {access.password ? (
          <button
            className="btn btn--ghost btn--small"
            type="button"
            onClick={() => run(hosting.setPassword(null))}
          >
            {t('host.password.remove')}
          </button>
        ) : null}
      </form>
      <p className="host__hint" data-testid="host-password-state">
        {access.password ? t('host.password.on') : t('host.password.off')}
      </p>
      {confirmEnd ? (
        <div className="host__end">
          <span>{t('host.end.confirm')}</span>
          <button
            className="btn btn--danger btn--small"
            onClick={() => hosting.endForAll()}
            data-testid="host-end-confirm"
          >
            {t('host.end.yes')}
          </button>
          <button className="btn btn--ghost btn--small" onClick={() => setConfirmEnd(false)}>
            {t('common.cancel')}
          </button>
        </div>
      ) : (
        <button
          className="btn btn--danger btn--small host__end-button"
          onClick={() => setConfirmEnd(true)}
          data-testid="host-end"
        >
          {t('host.end')}
        </button>
      )}
      {problem ? (
        <p className="host__problem" role="alert">
          {say(problem, i18n)}
        </p>
      ) : null}
    </section>
  );
}
