import { useT } from '../i18n/i18n';
import { LOCALE_NAMES, LOCALES, isLocale, setLocale } from '../i18n/locale';

/**
 * The language menu of every page: a native select, so keyboards and screen readers
 * know it; each language is named in itself, so a reader finds theirs whatever is on.
 */
export function LanguageSwitcher({ className }: { className?: string }) {
  const { t, locale } = useT();
  return (
    <label className={['lang-switch', className].filter(Boolean).join(' ')}>
      <span className="visually-hidden">{t('language.label')}</span>
      <select
        className="lang-switch__select"
        value={locale}
        data-testid="language-switcher"
        title={t('language.label')}
        onChange={(e) => {
          if (isLocale(e.target.value)) {
            setLocale(e.target.value);
          }
        }}
      >
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LOCALE_NAMES[code]}
          </option>
        ))}
      </select>
    </label>
  );
}
