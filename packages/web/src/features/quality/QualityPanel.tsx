import type { PeerQuality, VideoFlow } from '@parley/client';
import { useT, type I18n } from '../../i18n/i18n';
import { GRADE, describeQuality, formatBitrate } from './quality-words';
import './quality.css';

function video(flow: VideoFlow | null, i18n: I18n): string | null {
  if (!flow || !flow.width || !flow.height) {
    return null;
  }
  const size = `${flow.width}×${flow.height}`;
  return flow.fps ? i18n.t('quality.video', { size, fps: Math.round(flow.fps) }) : size;
}

function figure(value: number | null, i18n: I18n, options: Intl.NumberFormatOptions): string {
  return value === null ? '—' : i18n.number(value, options);
}

const MS: Intl.NumberFormatOptions = {
  style: 'unit',
  unit: 'millisecond',
  maximumFractionDigits: 0,
};
const PCT: Intl.NumberFormatOptions = {
  style: 'unit',
  unit: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
};

/** One person's connection in plain words, then the numbers behind them. */
function PersonQuality({ name, sample }: { name: string; sample: PeerQuality | undefined }) {
  const i18n = useT();
  const { t } = i18n;
  if (!sample) {
    return (
      <li className="quality-panel__person" data-testid="quality-details" data-name={name}>
        <div className="quality-panel__head">
          <span className="quality-panel__name">{name}</span>
        </div>
        <p className="quality-panel__line">{t('quality.measuring')}</p>
      </li>
    );
  }
  const lines = describeQuality(sample, name, i18n);
  const inVideo = video(sample.videoIn, i18n);
  const outVideo = video(sample.videoOut, i18n);
  return (
    <li
      className="quality-panel__person"
      data-testid="quality-details"
      data-name={name}
      data-grade={sample.grade}
    >
      <div className="quality-panel__head">
        <span className="quality-panel__name">{name}</span>
        <span className={`quality-panel__grade quality-panel__grade--${sample.grade}`}>
          {t(GRADE[sample.grade])}
        </span>
      </div>
      <ul className="quality-panel__lines">
        {lines.map((line) => (
          <li key={line} className="quality-panel__line">
            {line}
          </li>
        ))}
      </ul>
      <dl className="quality-panel__figures">
        <dt>{t('quality.rtt')}</dt>
        <dd>{figure(sample.rttMs, i18n, MS)}</dd>
        <dt>{t('quality.lossIn')}</dt>
        <dd>{figure(sample.lossInPct, i18n, PCT)}</dd>
        <dt>{t('quality.lossOut')}</dt>
        <dd>{figure(sample.lossOutPct, i18n, PCT)}</dd>
        <dt>{t('quality.jitter')}</dt>
        <dd>{figure(sample.jitterMs, i18n, MS)}</dd>
        <dt>{t('quality.receiving')}</dt>
        <dd>
          {formatBitrate(sample.bitrateInBps, i18n)}
          {inVideo ? ` · ${inVideo}` : ''}
        </dd>
        <dt>{t('quality.sending')}</dt>
        <dd>
          {formatBitrate(sample.bitrateOutBps, i18n)}
          {outVideo ? ` · ${outVideo}` : ''}
        </dd>
      </dl>
    </li>
  );
}

/** The "Connection" side panel: every remote participant's quality, explained. */
export function QualityPanel({
  people,
  samples,
}: {
  people: Array<{ id: string; name: string }>;
  samples: ReadonlyMap<string, PeerQuality>;
}) {
  const { t } = useT();
  if (people.length === 0) {
    return <p className="quality-panel__empty">{t('quality.empty')}</p>;
  }
  return (
    <ul className="quality-panel">
      {people.map((p) => (
        <PersonQuality key={p.id} name={p.name} sample={samples.get(p.id)} />
      ))}
    </ul>
  );
}
