import { useT } from '../i18n/i18n';

/** The Parley wordmark, linking home. */
export function Brand({ onClick }: { onClick?: () => void }) {
  const { t } = useT();
  return (
    <a
      className="brand"
      href="/"
      onClick={(e) => {
        if (onClick) {
          e.preventDefault();
          onClick();
        }
      }}
    >
      <span className="brand__mark" aria-hidden="true">
        {t('app.name').charAt(0)}
      </span>
      {t('app.name')}
    </a>
  );
}
