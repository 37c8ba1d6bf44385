import { useEffect, useRef, useState } from 'react';
import { MicMeter } from '../prejoin/MicMeter';
import { useSpeakerId } from './speaker';
import './devices.css';
import { useT } from '../../i18n/i18n';

/** How long the mic test records before playing it back. */
export const MIC_TEST_MS = 3000;

type Phase = 'idle' | 'recording' | 'playing' | 'failed';

/**
 * "Test your mic": records three seconds of what we would send (after noise
 * suppression, when on) and plays it back on the chosen speaker, with the level
 * shown while recording.
 */
export function MicTest({ track }: { track: MediaStreamTrack | null }) {
  const { t } = useT();
  const [phase, setPhase] = useState<Phase>('idle');
  const speakerId = useSpeakerId();
  const cleanup = useRef<() => void>(() => undefined);
  useEffect(() => () => cleanup.current(), []);

  const start = (): void => {
    if (!track || typeof MediaRecorder === 'undefined') {
      setPhase('failed');
      return;
    }
    const recorder = new MediaRecorder(new MediaStream([track]));
    const chunks: Blob[] = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    recorder.onstop = () => {
      const url = URL.createObjectURL(new Blob(chunks, { type: recorder.mimeType }));
      const audio = new Audio(url) as HTMLAudioElement & {
        setSinkId?: (id: string) => Promise<void>;
      };
      const done = (): void => {
        URL.revokeObjectURL(url);
        setPhase('idle');
      };
      audio.onended = done;
      cleanup.current = () => {
        audio.pause();
        URL.revokeObjectURL(url);
      };
      setPhase('playing');
      void (speakerId && audio.setSinkId ? audio.setSinkId(speakerId) : Promise.resolve())
        .catch(() => undefined)
        .then(() => audio.play())
        .catch(done);
    };
    const timer = setTimeout(() => recorder.stop(), MIC_TEST_MS);
    cleanup.current = () => {
      clearTimeout(timer);
      recorder.onstop = null;
      if (recorder.state !== 'inactive') {
        recorder.stop();
      }
    };
    recorder.start();
    setPhase('recording');
  };

  return (
    <div className="mic-test" data-testid="mic-test" data-state={phase}>
      <button
        type="button"
        className="btn btn--ghost"
        onClick={start}
        disabled={!track || phase === 'recording' || phase === 'playing'}
        data-testid="mic-test-start"
      >
        {phase === 'recording'
          ? t('devices.micTest.recording')
          : phase === 'playing'
            ? t('devices.micTest.playing')
            : t('devices.micTest')}
      </button>
      {phase === 'recording' ? (
        <>
          <MicMeter track={track} on />
          <span>{t('devices.micTest.say', { seconds: MIC_TEST_MS / 1000 })}</span>
        </>
      ) : null}
      {phase === 'failed' ? <span>{t('devices.micTest.unsupported')}</span> : null}
    </div>
  );
}
