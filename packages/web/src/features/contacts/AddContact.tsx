import { useState, type FormEvent } from 'react';
import { usernameProblem } from '../auth/credentials';
import { useT } from '../../i18n/i18n';
import { say, type Phrase } from '../../i18n/phrase';

/** Find a user by username and send a contact request. */
export function AddContact({ onAdd }: { onAdd: (username: string) => Promise<boolean> }) {
  const i18n = useT();
  const { t } = i18n;
  const [name, setName] = useState('');
  const [error, setError] = useState<Phrase | null>(null);
  const [sent, setSent] = useState<string | null>(null);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const problem = usernameProblem(name);
    if (problem) {
      setError(problem);
      return;
    }
    setError(null);
    if (await onAdd(name.trim().toLowerCase())) {
      setSent(name.trim().toLowerCase());
      setName('');
    }
  };

  return (
    <form className="add-contact" onSubmit={(e) => void submit(e)} noValidate>
      <label className="field">
        <span className="field__label">{t('contacts.add')}</span>
        <span className="add-contact__row">
          <input
            className="input"
            name="contact"
            placeholder={t('contacts.add.placeholder')}
            autoCapitalize="none"
            spellCheck={false}
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setError(null);
              setSent(null);
            }}
          />
          <button className="btn btn--primary" type="submit">
            {t('contacts.add.submit')}
          </button>
        </span>
      </label>
      {error ? <p className="field__error">{say(error, i18n)}</p> : null}
      {sent ? <p className="add-contact__sent">{t('contacts.add.sent', { name: sent })}</p> : null}
    </form>
  );
}
