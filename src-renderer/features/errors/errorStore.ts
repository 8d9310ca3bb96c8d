// Failed calls, shown in the error bar until the person dismisses them.
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

let nextId = 1;

export const useErrors = create<ErrorState>()((set) => ({
  errors: [],
  report: (action, err) => {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`snapshot-studio: ${action}:`, err);
    set((s) => ({ errors: [...s.errors, { id: nextId++, action, message }].slice(-5) }));
  },
  dismiss: (id) => set((s) => ({ errors: s.errors.filter((e) => e.id !== id) })),
  dismissAll: () => set({ errors: [] }),
}));

/** Runs one call; on failure shows it in the error bar and resolves to undefined. */
export async function attempt<T>(action: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    useErrors.getState().report(action, err);
    return undefined;
  }
}
