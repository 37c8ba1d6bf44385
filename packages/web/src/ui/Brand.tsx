/** The Parley wordmark, linking home. */
export function Brand({ onClick }: { onClick?: () => void }) {
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
        P
      </span>
      Parley
    </a>
  );
}
