import { useEffect, useState } from 'react';
import { formatElapsed, formatSize } from './recording-format';
import type { RecordingState } from './use-recording';

/** For the one recording: elapsed time, file size so far, and Stop (which saves the file). */
export function RecordingStatus({ state, onStop }: { state: RecordingState; onStop: () => void }) {
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
      <span data-testid="recording-elapsed">{formatElapsed(now - state.startedAt)}</span>
      <span className="recording-status__size" data-testid="recording-size">
        {formatSize(state.bytes)}
      </span>
      <button
        className="btn btn--ghost recording-status__stop"
        onClick={onStop}
        data-testid="recording-stop"
      >
        Stop and save
      </button>
    </div>
  );
}
