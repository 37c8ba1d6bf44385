/**
 * "Recording" for everyone in the call, with who records (from the room's state, so a
 * late joiner sees it too). Nothing when nobody records.
 */
export function RecordingBadge({ names }: { names: string[] }) {
  if (names.length === 0) {
    return null;
  }
  const who =
    names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return (
    <span
      className="recording-badge"
      role="status"
      data-testid="recording-badge"
      title={`${who} ${names.length === 1 ? 'is' : 'are'} recording this call`}
    >
      <span className="recording-badge__dot" aria-hidden="true" />
      <span className="recording-badge__text">Recording</span>
      <span className="recording-badge__who">· {who}</span>
    </span>
  );
}
