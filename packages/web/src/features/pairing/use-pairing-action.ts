import { useState } from 'react';
import type { Phrase } from '../../i18n/phrase';

/**
 * What the meet and board pages ask of the server (start, post, answer, report): one
 * action at a time. `busy` while it runs, which disables the buttons; a failure becomes
 * `problem`, in the user's words (`describe`), and a new action clears it.
 */
export function usePairingAction(describe: (err: unknown) => Phrase): {
  busy: boolean;
  problem: Phrase | null;
  setProblem: (problem: Phrase | null) => void;
  act: (what: () => Promise<unknown>) => Promise<void>;
} {
  const [problem, setProblem] = useState<Phrase | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (what: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setProblem(null);
    try {
      await what();
    } catch (err) {
      setProblem(describe(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, setProblem, act };
}
