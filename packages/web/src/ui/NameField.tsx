import { MAX_NAME_LENGTH } from '../app/display-name';
import { useT } from '../i18n/i18n';
import { say, type Phrase } from '../i18n/phrase';

/** The "Your name" field of the landing and pre-join pages (same limits as the protocol). */
export function NameField({
  value,
  onChange,
  error = null,
  autoFocus = false,
}: {
  value: string;
  onChange: (name: string) => void;
  error?: Phrase | null;
  autoFocus?: boolean;
}) {
  const i18n = useT();
  const { t } = i18n;
  return (
    <label className="field">
      <span className="field__label">{t('name.label')}</span>
      <input
        className="input"
        name="name"
        autoComplete="name"
        placeholder={t('name.placeholder')}
        maxLength={MAX_NAME_LENGTH}
        value={value}
        autoFocus={autoFocus}
        aria-invalid={error ? true : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {error ? <span className="field__error">{say(error, i18n)}</span> : null}
    </label>
  );
}
