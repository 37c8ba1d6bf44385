import { useEffect, useRef, useState, type FormEvent } from 'react';
import { MEET_REPORT_TEXT_MAX, type ReportReason } from '@parley/protocol';
import { trapTab } from '../a11y/focus-trap';
import { REPORT_REASONS } from './meet-labels';
import { useT } from '../../i18n/i18n';

/**
 * Report the person of a match: a reason from the server's list and optional words.
 * Reported people are never paired with you again; the operator reads reports with
 * `npx parley reports`.
 */
export function ReportDialog({
  peerName,
  onCancel,
  onReport,
}: {
  peerName: string;
  onCancel: () => void;
  onReport: (reason: ReportReason, text: string) => void;
}) {
  const { t } = useT();
  const [reason, setReason] = useState<ReportReason | null>(null);
  const [text, setText] = useState('');
  const first = useRef<HTMLInputElement>(null);
  const opener = useRef<Element | null>(document.activeElement);

  useEffect(() => {
    first.current?.focus();
    const back = opener.current;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        onCancel();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      // Focus goes back where it was when the dialog opened.
      if (back instanceof HTMLElement) {
        back.focus();
      }
    };
  }, [onCancel]);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (reason) {
      onReport(reason, text.trim());
    }
  };

  return (
    <div className="dialog-backdrop" onClick={onCancel}>
      <form
        className="card dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="report-title"
        onClick={(e) => e.stopPropagation()}
        onSubmit={submit}
        onKeyDown={trapTab}
        data-testid="report-dialog"
      >
        <h2 className="card__title" id="report-title">
          {t('meet.report.title', { name: peerName })}
        </h2>
        <p className="card__text">{t('meet.report.text')}</p>
        <fieldset className="dialog__choices">
          <legend className="field__label">{t('meet.report.what')}</legend>
          {REPORT_REASONS.map((r, i) => (
            <label key={r.value} className="dialog__choice">
              <input
                ref={i === 0 ? first : undefined}
                type="radio"
                name="reason"
                value={r.value}
                checked={reason === r.value}
                onChange={() => setReason(r.value)}
              />
              {t(r.label)}
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span className="field__label">{t('meet.report.more')}</span>
          <textarea
            className="input dialog__text"
            name="text"
            maxLength={MEET_REPORT_TEXT_MAX}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <div className="card__actions">
          <button type="button" className="btn btn--ghost" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="btn btn--danger"
            disabled={!reason}
            data-testid="report-send"
          >
            {t('meet.report.send')}
          </button>
        </div>
      </form>
    </div>
  );
}
