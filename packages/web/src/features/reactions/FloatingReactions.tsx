import type { FloatingReaction } from './use-reactions';
import './reactions.css';
import { useT } from '../../i18n/i18n';

/** Reactions rising over one tile; purely visual, announced to screen readers once. */
export function FloatingReactions({ items }: { items: readonly FloatingReaction[] | undefined }) {
  const { t } = useT();
  if (!items || items.length === 0) {
    return null;
  }
  return (
    <div className="floating-reactions" data-testid="floating-reactions">
      {items.map((r) => (
        <span
          key={r.key}
          className="floating-reactions__item"
          style={{ left: `calc(50% + ${r.drift}%)` }}
          role="img"
          aria-label={t('reactions.item', { emoji: r.emoji })}
          data-testid="floating-reaction"
        >
          {r.emoji}
        </span>
      ))}
    </div>
  );
}
