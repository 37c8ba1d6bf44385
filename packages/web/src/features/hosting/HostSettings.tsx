import { useState } from 'react';
import type { LobbyWaiter, RoomAccess, RoomHosting } from '@parley/client';

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
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const run = (action: Promise<unknown>): void => {
    setProblem(null);
    action.catch((err: unknown) => setProblem(err instanceof Error ? err.message : String(err)));
  };

  return (
    <section className="host" aria-label="Host controls" data-testid="host-settings">
      {waiters.length > 0 ? (
        <div className="host__lobby" data-testid="lobby-list">
          <h3 className="host__title">Waiting to join ({waiters.length})</h3>
          <ul className="host__waiters">
            {waiters.map((w) => (
              <li className="host__waiter" key={w.id} data-testid="lobby-waiter">
                <span className="host__waiter-name">{w.name}</span>
                <button
                  className="btn btn--primary btn--small"
                  onClick={() => run(hosting.answer(w.id, true))}
                >
                  Admit
                </button>
                <button
                  className="btn btn--ghost btn--small"
                  onClick={() => run(hosting.answer(w.id, false))}
                >
                  Deny
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <h3 className="host__title">Room access (you are the host)</h3>
      <label className="host__toggle">
        <input
          type="checkbox"
          checked={access.locked}
          onChange={(e) => run(hosting.setLocked(e.target.checked))}
          data-testid="host-lock"
        />
        Lock the room: nobody new can join
      </label>
      <label className="host__toggle">
        <input
          type="checkbox"
          checked={access.lobby}
          onChange={(e) => run(hosting.setLobby(e.target.checked))}
          data-testid="host-lobby"
        />
        Lobby: newcomers wait until you let them in
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
          placeholder={access.password ? 'New password' : 'Set a password'}
          aria-label="Room password"
          autoComplete="new-password"
          onChange={(e) => setPassword(e.target.value)}
          data-testid="host-password"
        />
        <button className="btn btn--small" type="submit" disabled={!password}>
          Set
        </button>
        {access.password ? (
          <button
            className="btn btn--ghost btn--small"
            type="button"
            onClick={() => run(hosting.setPassword(null))}
          >
            Remove
          </button>
        ) : null}
      </form>
      <p className="host__hint" data-testid="host-password-state">
        {access.password ? 'A password is needed to join.' : 'No password.'}
      </p>
      {confirmEnd ? (
        <div className="host__end">
          <span>End the call for everyone?</span>
          <button
            className="btn btn--danger btn--small"
            onClick={() => hosting.endForAll()}
            data-testid="host-end-confirm"
          >
            End for everyone
          </button>
          <button className="btn btn--ghost btn--small" onClick={() => setConfirmEnd(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button
          className="btn btn--danger btn--small host__end-button"
          onClick={() => setConfirmEnd(true)}
          data-testid="host-end"
        >
          End the room for everyone
        </button>
      )}
      {problem ? (
        <p className="host__problem" role="alert">
          {problem}
        </p>
      ) : null}
    </section>
  );
}
