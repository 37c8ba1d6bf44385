import { describeQuality, formatBitrate, type PeerQuality, type VideoFlow } from '@parley/client';
import './quality.css';

function video(flow: VideoFlow | null): string | null {
  if (!flow || !flow.width || !flow.height) {
    return null;
  }
  return `${flow.width}×${flow.height}${flow.fps ? `, ${Math.round(flow.fps)} fps` : ''}`;
}

function figure(value: number | null, unit: string, digits = 0): string {
  return value === null ? '—' : `${value.toFixed(digits)} ${unit}`;
}

/** One person's connection in plain words, then the numbers behind them. */
function PersonQuality({ name, sample }: { name: string; sample: PeerQuality | undefined }) {
  if (!sample) {
    return (
      <li className="quality-panel__person" data-testid="quality-details" data-name={name}>
        <div className="quality-panel__head">
          <span className="quality-panel__name">{name}</span>
        </div>
        <p className="quality-panel__line">Measuring…</p>
      </li>
    );
  }
  const lines = describeQuality(sample, name);
  const inVideo = video(sample.videoIn);
  const outVideo = video(sample.videoOut);
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
          {sample.grade}
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
        <dt>Round trip</dt>
        <dd>{figure(sample.rttMs, 'ms')}</dd>
        <dt>Lost from them</dt>
        <dd>{figure(sample.lossInPct, '%', 1)}</dd>
        <dt>Lost on the way</dt>
        <dd>{figure(sample.lossOutPct, '%', 1)}</dd>
        <dt>Jitter</dt>
        <dd>{figure(sample.jitterMs, 'ms')}</dd>
        <dt>Receiving</dt>
        <dd>
          {formatBitrate(sample.bitrateInBps)}
          {inVideo ? ` · ${inVideo}` : ''}
        </dd>
        <dt>Sending</dt>
        <dd>
          {formatBitrate(sample.bitrateOutBps)}
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
  if (people.length === 0) {
    return <p className="quality-panel__empty">Nobody else is here yet.</p>;
  }
  return (
    <ul className="quality-panel">
      {people.map((p) => (
        <PersonQuality key={p.id} name={p.name} sample={samples.get(p.id)} />
      ))}
    </ul>
  );
}
