import { useEffect, useRef, useState } from 'react';
import type { Transfer } from '@parley/client';
import type { FileSharingState } from './use-file-sharing';
import './files.css';
import { errorCode, errorPhrase } from '../../i18n/error-text';
import { useT, type MessageKey } from '../../i18n/i18n';
import { phrase, say, type Phrase } from '../../i18n/phrase';
import { transferReasonText } from './transfer-reason-text';

const STATE_TEXT: Record<Transfer['state'], MessageKey> = {
  offered: 'files.state.offered',
  accepted: 'files.state.accepted',
  transferring: 'files.state.transferring',
  verifying: 'files.state.verifying',
  done: 'files.state.done',
  declined: 'files.state.declined',
  cancelled: 'files.state.cancelled',
  failed: 'files.state.failed',
};

/** A download link for a received file, revoked when it goes away. */
function Download({ transfer }: { transfer: Transfer }) {
  const { t } = useT();
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
      {t('files.download')}
    </a>
  ) : null;
}

function TransferRow({ t, state }: { t: Transfer; state: FileSharingState }) {
  const i18n = useT();
  const live = ['offered', 'accepted', 'transferring', 'verifying'].includes(t.state);
  const percent = t.size === 0 ? 100 : Math.floor((t.bytes / t.size) * 100);
  const who = i18n.t(t.direction === 'out' ? 'files.to' : 'files.from', { name: t.peerName });
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
        <span className="files__size">{i18n.fileSize(t.size)}</span>
      </div>
      <div className="files__sub">
        {who} · {i18n.t(STATE_TEXT[t.state])}
        {t.state === 'transferring' ? ` ${i18n.number(percent / 100, { style: 'percent' })}` : null}
      </div>
      {t.state === 'transferring' || t.state === 'verifying' || t.state === 'accepted' ? (
        <progress
          className="files__progress"
          max={t.size || 1}
          value={t.bytes}
          aria-label={i18n.t('files.progress', { name: t.name, who })}
          data-testid="file-progress"
        />
      ) : null}
      {t.reason && t.state !== 'done' ? (
        <div className="files__reason" data-testid="file-reason">
          {transferReasonText(t, t.reason, i18n)}
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
              {i18n.t('files.accept')}
            </button>
            <button
              className="btn btn--ghost files__btn"
              onClick={() => state.files?.decline(t.key)}
              data-testid="file-decline"
            >
              {i18n.t('files.decline')}
            </button>
          </>
        ) : null}
        {live && !(t.direction === 'in' && t.state === 'offered') ? (
          <button
            className="btn btn--ghost files__btn"
            onClick={() => state.files?.cancel(t.key)}
            data-testid="file-cancel"
          >
            {i18n.t('common.cancel')}
          </button>
        ) : null}
        {t.direction === 'in' && t.state === 'done' ? <Download transfer={t} /> : null}
        {!live ? (
          <button className="btn btn--ghost files__btn" onClick={() => state.files?.dismiss(t.key)}>
            {i18n.t('common.dismiss')}
          </button>
        ) : null}
      </div>
    </li>
  );
}

/** Share a file with everyone in the call, and answer and follow transfers. */
export function FilesPanel({ state }: { state: FileSharingState }) {
  const i18n = useT();
  const { t } = i18n;
  const inputRef = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<Phrase | null>(null);
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
      // Too large: say by how much, with the sizes in the reader's language.
      const limit = state.files.maxBytes;
      setError(
        errorCode(err) === 'file_too_large'
          ? phrase('files.tooLarge', {
              name: file.name,
              size: (l) => l.fileSize(file.size),
              max: (l) => l.fileSize(limit),
            })
          : errorPhrase(err),
      );
    } finally {
      setBusy(false);
    }
  };

  const max = state.files?.maxBytes;
  return (
    <section className="files" data-testid="files-panel" aria-label={t('room.panel.files')}>
      <div className="files__share">
        <button
          className="btn btn--primary btn--block"
          onClick={() => inputRef.current?.click()}
          disabled={!state.files || busy}
          data-testid="file-share"
        >
          {busy ? t('files.preparing') : t('files.share')}
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
          {max ? t('files.hint.max', { max: i18n.fileSize(max) }) : t('files.hint')}
        </p>
        {error ? (
          <p className="files__error" role="alert" data-testid="file-error">
            {say(error, i18n)}
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
