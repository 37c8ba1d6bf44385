import { useState } from 'react';
import { REACTION_EMOJI, type ReactionEmoji } from '@parley/client';
import './reactions.css';
import { useT } from '../../i18n/i18n';

/** A button that opens the emoji row; a pick is sent to everyone and the row closes. */
export function ReactionBar({ onReact }: { onReact: (emoji: ReactionEmoji) => void }) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  return (
    <div className="reaction-bar" data-testid="reaction-bar">
      {open ? (
        <div className="reaction-bar__row" role="toolbar" aria-label={t('reactions.send')}>
          {REACTION_EMOJI.map((emoji) => (
            <button
              key={emoji}
              className="reaction-bar__emoji"
              onClick={() => {
                onReact(emoji);
                setOpen(false);
              }}
              aria-label={t('reactions.react', { emoji })}
              data-testid="reaction-emoji"
            >
              {emoji}
            </button>
          ))}
        </div>
      ) : null}
      <button
        className="reaction-bar__toggle"
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        aria-label={t('reactions.title')}
        title={t('reactions.title')}
        data-testid="reaction-toggle"
      >
        <span aria-hidden="true">😊</span>
      </button>
    </div>
  );
}
