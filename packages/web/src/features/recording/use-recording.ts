import { useCallback, useEffect, useRef, useState } from 'react';
import type { Room } from '@parley/client';
import { CallRecorder, RecordingUnsupported, downloadRecording } from './call-recorder';
import { recordingFileName } from './recording-format';
import type { MessageKey } from '../../i18n/i18n';

export type RecordingState =
  | { status: 'idle'; /** Why it could not start, worded when shown. */ error?: MessageKey }
  | { status: 'recording'; startedAt: number; bytes: number };

/**
 * Recording the call in this browser: start/stop, the size so far, and the room told
 * (everyone sees the badge). `audioTracks` is every voice of the call now, own mic
 * included; the mix follows it while recording. Leaving the call saves what was recorded.
 */
export function useRecording(
  room: Room | null,
  roomLabel: string,
  grid: () => HTMLElement | null,
  audioTracks: readonly MediaStreamTrack[],
) {
  const [state, setState] = useState<RecordingState>({ status: 'idle' });
  const recorder = useRef<CallRecorder | null>(null);
  const started = useRef(new Date());

  const finish = useCallback(
    async (rec: CallRecorder): Promise<void> => {
      recorder.current = null;
      room?.setRecording(false);
      const file = await rec.stop();
      downloadRecording(file, recordingFileName(roomLabel, started.current));
    },
    [room, roomLabel],
  );

  const start = useCallback(() => {
    if (recorder.current) {
      return;
    }
    try {
      started.current = new Date();
      const startedAt = Date.now();
      // The last chunk comes after Stop: it must not bring the status line back.
      const rec: CallRecorder = new CallRecorder(grid, audioTracks, (bytes) => {
        if (recorder.current === rec) {
          setState({ status: 'recording', startedAt, bytes });
        }
      });
      recorder.current = rec;
      setState({ status: 'recording', startedAt, bytes: 0 });
      room?.setRecording(true);
    } catch (err) {
      // Our own refusal says why; anything else the browser threw is for the log.
      console.warn('parley: recording failed', err);
      setState({
        status: 'idle',
        error: err instanceof RecordingUnsupported ? 'recording.unsupported' : 'recording.failed',
      });
    }
  }, [grid, audioTracks, room]);

  const stop = useCallback(() => {
    const rec = recorder.current;
    if (rec) {
      setState({ status: 'idle' });
      void finish(rec);
    }
  }, [finish]);

  // The mix follows who is in the call.
  useEffect(() => {
    recorder.current?.setAudioTracks(audioTracks);
  }, [audioTracks]);

  // Leaving (or the call view going away) saves what was recorded so far.
  const finishRef = useRef(finish);
  finishRef.current = finish;
  useEffect(
    () => () => {
      const rec = recorder.current;
      if (rec) {
        void finishRef.current(rec);
      }
    },
    [],
  );

  return { state, start, stop };
}
