import { useState } from 'react';
import { navigate } from '../../app/router';
import { Brand } from '../../ui/Brand';

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
        <h1 className="card__title">This room needs a password</h1>
        <p className="card__text">
          The host of <strong>{roomId}</strong> set a password. Ask them for it.
        </p>
        <label className="field">
          <span className="field__label">Room password</span>
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
              That is not the password of this room.
            </span>
          ) : null}
        </label>
        <div className="card__actions">
          <button className="btn btn--primary" type="submit" disabled={!password}>
            Join
          </button>
          <button className="btn btn--ghost" type="button" onClick={() => navigate('/')}>
            Start page
          </button>
        </div>
      </form>
    </div>
  );
}
