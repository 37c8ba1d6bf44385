import { useT } from '../../i18n/i18n';

/**
 * "Recording" for everyone in the call, with who records (from the room's state, so a
 * late joiner sees it too). Nothing when nobody records.
 */
export function RecordingBadge({ names }: { names: string[] }) {
  const i18n = useT();
  if (names.length === 0) {
    return null;
  }
  const who = i18n.list(names);
  return (
    <span
      className="recording-badge"
      role="status"
      data-testid="recording-badge"
      title={i18n.t('recording.badge.title', { who, count: names.length })}
    >
      <span className="recording-badge__dot" aria-hidden="true" />
      <span className="recording-badge__text">{i18n.t('recording.badge')}</span>
      <span className="recording-badge__who">· {who}</span>
    </span>
  );
}
