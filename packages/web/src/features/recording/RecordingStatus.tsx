import { useEffect, useState } from 'react';
import type { RecordingState } from './use-recording';
import { useT } from '../../i18n/i18n';

/** For the one recording: elapsed time, file size so far, and Stop (which saves the file). */
export function RecordingStatus({ state, onStop }: { state: RecordingState; onStop: () => void }) {
  const i18n = useT();
  const [now, setNow] = useState(Date.now());
  const recording = state.status === 'recording';
  useEffect(() => {
    if (!recording) {
      return;
    }
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [recording]);
  if (state.status !== 'recording') {
    return null;
  }
  return (
    <div className="recording-status" role="status" data-testid="recording-status">
      <span className="recording-badge__dot" aria-hidden="true" />
      <span data-testid="recording-elapsed">{i18n.clock(now - state.startedAt)}</span>
      <span className="recording-status__size" data-testid="recording-size">
        {i18n.fileSize(state.bytes)}
      </span>
      <button
        className="btn btn--ghost recording-status__stop"
        onClick={onStop}
        data-testid="recording-stop"
      >
        {i18n.t('recording.stop')}
      </button>
    </div>
  );
}
