import { useEffect, useRef, useState } from 'react';
import type { Transfer } from '@parley/client';
import type { FileSharingState } from './use-file-sharing';
import './files.css';

export function formatBytes(n: number): string {
  if (n < 1024) {
    return `${n} B`;
  }
  if (n < 1024 * 1024) {
    return `${(n / 1024).toFixed(0)} KB`;
  }
  return `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

const STATE_TEXT: Record<Transfer['state'], string> = {
  offered: 'Waiting for an answer',
  accepted: 'Starting…',
  transferring: 'Transferring',
  verifying: 'Checking…',
  done: 'Done',
  declined: 'Declined',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

/** A download link for a received file, revoked when it goes away. */
function Download({ transfer }: { transfer: Transfer }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!transfer.file) {
      return;
    }
    const u = URL.createObjectURL(transfer.file);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [transfer.file]);
  return url ? (
    <a
      className="btn btn--primary files__btn"
      href={url}
      download={transfer.name}
      data-testid="file-download"
    >
      Download
    </a>
  ) : null;
}

function TransferRow({ t, state }: { t: Transfer; state: FileSharingState }) {
  const live = ['offered', 'accepted', 'transferring', 'verifying'].includes(t.state);
  const percent = t.size === 0 ? 100 : Math.floor((t.bytes / t.size) * 100);
  const who = t.direction === 'out' ? `to ${t.peerName}` : `from ${t.peerName}`;
  return (
    <li
      className={`files__row files__row--${t.state}`}
      data-testid="file-transfer"
      data-direction={t.direction}
      data-state={t.state}
      data-peer={t.peerName}
      data-name={t.name}
      data-sha256={t.sha256}
    >
      <div className="files__title">
        <span className="files__name" title={t.name}>
          {t.name}
        </span>
        <span className="files__size">{formatBytes(t.size)}</span>
      </div>
      <div className="files__sub">
        {who} · {STATE_TEXT[t.state]}
        {t.state === 'transferring' ? ` ${percent}%` : null}
      </div>
      {t.state === 'transferring' || t.state === 'verifying' || t.state === 'accepted' ? (
        <progress
          className="files__progress"
          max={t.size || 1}
          value={t.bytes}
          aria-label={`${t.name} ${who}`}
          data-testid="file-progress"
        />
      ) : null}
      {t.reason && t.state !== 'done' ? (
        <div className="files__reason" data-testid="file-reason">
          {t.reason}
        </div>
      ) : null}
      <div className="files__actions">
        {t.direction === 'in' && t.state === 'offered' ? (
          <>
            <button
              className="btn btn--primary files__btn"
              onClick={() => state.files?.accept(t.key)}
              data-testid="file-accept"
            >
              Accept
            </button>
            <button
              className="btn btn--ghost files__btn"
              onClick={() => state.files?.decline(t.key)}
              data-testid="file-decline"
            >
              Decline
            </button>
          </>
        ) : null}
        {live && !(t.direction === 'in' && t.state === 'offered') ? (
          <button
            className="btn btn--ghost files__btn"
            onClick={() => state.files?.cancel(t.key)}
            data-testid="file-cancel"
          >
            Cancel
          </button>
        ) : null}
        {t.direction === 'in' && t.state === 'done' ? <Download transfer={t} /> : null}
        {!live ? (
          <button className="btn btn--ghost files__btn" onClick={() => state.files?.dismiss(t.key)}>
            Dismiss
          </button>
        ) : null}
      </div>
    </li>
  );
}

/** Share a file with everyone in the call, and answer and follow transfers. */
export function FilesPanel({ state }: { state: FileSharingState }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const share = async (file: File): Promise<void> => {
    if (!state.files) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await state.files.share(file);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const max = state.files?.maxBytes;
  return (
    <section className="files" data-testid="files-panel" aria-label="Files">
      <div className="files__share">
        <button
          className="btn btn--primary btn--block"
          onClick={() => inputRef.current?.click()}
          disabled={!state.files || busy}
          data-testid="file-share"
        >
          {busy ? 'Preparing…' : 'Share a file'}
        </button>
        <input
          ref={inputRef}
          type="file"
          hidden
          data-testid="file-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) {
              void share(file);
            }
          }}
        />
        <p className="files__hint">
          Sent directly to each person in the call, never through the server
          {max ? `; up to ${formatBytes(max)}` : ''}. Each receiver accepts first.
        </p>
        {error ? (
          <p className="files__error" role="alert" data-testid="file-error">
            {error}
          </p>
        ) : null}
      </div>
      {state.transfers.length === 0 ? null : (
        <ul className="files__list">
          {[...state.transfers].reverse().map((t) => (
            <TransferRow key={t.key} t={t} state={state} />
          ))}
        </ul>
      )}
    </section>
  );
}
