import { useState } from 'react';
import type { PublicUser } from '@parley/protocol';
import { cleanDisplayName, loadDisplayName, saveDisplayName } from '../../app/display-name';
import { navigate } from '../../app/router';
import { useT, type MessageKey } from '../../i18n/i18n';
import { phrase, type Phrase } from '../../i18n/phrase';
import { Rich } from '../../i18n/Rich';
import { Brand } from '../../ui/Brand';
import { LanguageSwitcher } from '../../ui/LanguageSwitcher';
import { NameField } from '../../ui/NameField';

/**
 * The name a stranger sees on /meet and /board: the account's when signed in, otherwise
 * one typed on the page (remembered for next time, like the landing page's).
 */
export interface PairingName {
  readonly user: PublicUser | null;
  readonly value: string;
  readonly error: Phrase | null;
  onChange(next: string): void;
  /** The name as sent, cleaned; null (and the field says why) when there is none. */
  claim(): string | null;
  /** The name as it would be sent, for the call's own tile. */
  shown(): string;
}

export function usePairingName(user: PublicUser | null, missing: MessageKey): PairingName {
  const [value, setValue] = useState(() => user?.username ?? loadDisplayName());
  const [error, setError] = useState<Phrase | null>(null);
  return {
    user,
    value,
    error,
    onChange(next) {
      setValue(next);
      setError(null);
    },
    claim() {
      const clean = user?.username ?? cleanDisplayName(value);
      if (!clean) {
        setError(phrase(missing));
        return null;
      }
      if (!user) {
        saveDisplayName(clean);
      }
      return clean;
    },
    shown: () => user?.username ?? cleanDisplayName(value),
  };
}

/** "You appear as …" for an account, the name field otherwise. */
export function AppearAs({ name }: { name: PairingName }) {
  const { t } = useT();
  if (name.user) {
    return (
      <p className="card__text">
        <Rich text={t('meet.appearAs')} values={{ name: <strong>{name.user.username}</strong> }} />
      </p>
    );
  }
  return <NameField value={name.value} error={name.error} onChange={name.onChange} />;
}

/** The header of /meet and /board: home, a link to the other one, the language. */
export function PairingHeader({ other, label }: { other: '/meet' | '/board'; label: string }) {
  return (
    <header className="pairing__header">
      <Brand onClick={() => navigate('/')} />
      <nav className="pairing__nav">
        <a href={other} onClick={(e) => (e.preventDefault(), navigate(other))}>
          {label}
        </a>
        <LanguageSwitcher />
      </nav>
    </header>
  );
}
