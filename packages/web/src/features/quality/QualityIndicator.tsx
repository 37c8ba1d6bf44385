import type { PeerQuality, QualityGrade } from '@parley/client';
import './quality.css';
import { useT } from '../../i18n/i18n';
import { GRADE } from './quality-words';

const BARS: Record<QualityGrade, number> = { good: 3, fair: 2, poor: 1 };

/**
 * Signal-strength bars in a tile's corner: three green (good), two amber (fair) or one
 * red (poor). Clicking opens the details panel, which says why in plain words.
 */
export function QualityIndicator({
  sample,
  name,
  onOpen,
}: {
  sample: PeerQuality | undefined;
  name: string;
  onOpen: () => void;
}) {
  const { t } = useT();
  if (!sample) {
    return null;
  }
  const grade = sample.grade;
  const label = t(sample.path === 'relayed' ? 'quality.label.relayed' : 'quality.label', {
    name,
    grade: t(GRADE[grade]).toLocaleLowerCase(),
  });
  return (
    <button
      className={`quality quality--${grade}`}
      onClick={onOpen}
      data-testid="quality"
      data-grade={grade}
      data-path={sample.path}
      aria-label={label}
      title={label}
    >
      <span className="quality__bars" aria-hidden="true">
        {[1, 2, 3].map((i) => (
          <span key={i} className={`quality__bar${i <= BARS[grade] ? ' is-lit' : ''}`} />
        ))}
      </span>
      <span className="quality__label">{t(GRADE[grade])}</span>
    </button>
  );
}
