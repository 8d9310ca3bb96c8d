// Consent to run code that came with an import. A retry or fork of an imported run with its original version is
// refused by the core until the person, shown what it means, says yes: this store holds the question the dialog
// asks, and resolves it with their answer. Only then is the core asked for its one-time consent.
import { create } from 'zustand';
import type { RunSummary } from '@shared/api';

export interface ConsentQuestion {
  workflowId: string;
  version: string;
  answer(run: boolean): void;
}

interface ConsentState {
  question: ConsentQuestion | null;
  /** Asks the person; resolves true when they chose to run the imported code. */
  ask(run: Pick<RunSummary, 'workflowId' | 'workflowVersion'>): Promise<boolean>;
}

export const useImportedCodeConsent = create<ConsentState>()((set, get) => ({
  question: null,
  ask: (run) =>
    new Promise<boolean>((resolve) => {
      get().question?.answer(false);
      set({
        question: {
          workflowId: run.workflowId,
          version: run.workflowVersion,
          answer: (yes) => {
            set({ question: null });
            resolve(yes);
          },
        },
      });
    }),
}));

/** The core's refusal to run imported code without consent (over HTTP the code is kept; over IPC it leads the message). */
export function needsImportedCodeConsent(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return (code === 'E_IMPORTED_CODE' || message.startsWith('E_IMPORTED_CODE:')) && /its code is shown but not run here/.test(message);
}
