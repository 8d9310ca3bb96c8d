// Calls to the core that may fail: attempt runs one and, on failure, adds it to the failed calls the error bar
// (features/errors) shows until the person dismisses them, so a store or a click handler never sees a throw.
import { create } from 'zustand';

export interface ShownError {
  id: number;
  /** What the app was doing, e.g. "Could not start the run". */
  action: string;
  message: string;
}

interface ErrorState {
  errors: ShownError[];
  report(action: string, err: unknown): void;
  dismiss(id: number): void;
  dismissAll(): void;
}

export const useErrors = create<ErrorState>()((set) => {
  let nextId = 1;
  return {
    errors: [],
    report: (action, err) => {
      const message = err instanceof Error ? err.message : String(err);
      console.error(`snapshot-studio: ${action}:`, err);
      set((s) => ({ errors: [...s.errors, { id: nextId++, action, message }].slice(-5) }));
    },
    dismiss: (id) => set((s) => ({ errors: s.errors.filter((e) => e.id !== id) })),
    dismissAll: () => set({ errors: [] }),
  };
});

/** Runs one call; on failure shows it in the error bar and resolves to undefined. */
export async function attempt<T>(action: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    useErrors.getState().report(action, err);
    return undefined;
  }
}
