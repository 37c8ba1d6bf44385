import { useState, type FormEvent } from 'react';
import { cleanDisplayName, loadDisplayName, saveDisplayName } from '../../app/display-name';
import { navigate } from '../../app/router';
import { Brand } from '../../ui/Brand';
import { Icon } from '../../ui/Icon';
import { NameField } from '../../ui/NameField';
import { newRoomId, parseRoomInput } from './room-id';
import './landing.css';

/** Start page: your name, a new room, or join one by id or link. */
export function LandingPage() {
  const [name, setName] = useState(loadDisplayName);
  const [roomInput, setRoomInput] = useState('');
  const [roomError, setRoomError] = useState<string | null>(null);

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
      setRoomError(
        roomInput.trim()
          ? 'That is not a room link or ID. Paste the whole invite link, or the part after /r/.'
          : 'Paste an invite link or type a room ID.',
      );
      return;
    }
    go(roomId);
  };

  return (
    <div className="page-center landing">
      <header className="landing__header">
        <Brand />
      </header>
      <main className="card landing__card">
        <div className="landing__intro">
          <h1 className="card__title">Video calls on your own server</h1>
          <p className="card__text">
            Open a room, share the link, talk. No accounts, nothing to install.
          </p>
        </div>

        <NameField value={name} onChange={setName} />

        <button className="btn btn--primary btn--block" onClick={() => go(newRoomId())}>
          <Icon name="plus" size={18} />
          New room
        </button>

        <div className="landing__divider" role="separator">
          <span>or join a room</span>
        </div>

        <form className="landing__join" onSubmit={onJoin} noValidate>
          <label className="field">
            <span className="field__label">Room link or ID</span>
            <div className="landing__join-row">
              <input
                className="input"
                name="room"
                placeholder="https://…/r/… or room ID"
                value={roomInput}
                aria-invalid={roomError ? true : undefined}
                onChange={(e) => {
                  setRoomInput(e.target.value);
                  setRoomError(null);
                }}
              />
              <button className="btn btn--ghost" type="submit">
                Join
              </button>
            </div>
          </label>
          {roomError ? <p className="field__error">{roomError}</p> : null}
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
          Meet someone new
        </a>
        <span aria-hidden="true">·</span>
        <a
          href="/board"
          onClick={(e) => {
            e.preventDefault();
            navigate('/board');
          }}
        >
          Open-call board
        </a>
        <span aria-hidden="true">·</span>
        <a
          href="/contacts"
          onClick={(e) => {
            e.preventDefault();
            navigate('/contacts');
          }}
        >
          Sign in to call your contacts
        </a>
      </p>
      <footer className="landing__footer">
        Video and sound go straight between participants; the server only introduces you.
      </footer>
    </div>
  );
}
