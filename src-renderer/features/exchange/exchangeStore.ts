// One import at a time: the file on its way (upload), then the core's import-progress events, then a summary
// or the error (which names the file, the line and the reason). A production database is named by its
// postgres:// URL and read by the core in place; it is shown everywhere without its password. Export writes the
// chosen runs and says what it wrote. Failures stay in the dialog, where the person is looking, not in the error bar.
import { create } from 'zustand';
import type { ExportResult, ImportOptions, ImportSummary, StudioEvent } from '@shared/api';
import { shownDatabaseUrl } from '@shared/databaseUrls';
import { fileExchange, studio } from '../../lib/studio';
import type { ExportChoice } from '../../transport/fileExchange';

type ImportProgress = Extract<StudioEvent, { type: 'import-progress' }>;

export type ImportState =
  | { phase: 'idle' }
  | { phase: 'running'; file: string; sent?: { bytes: number; of: number }; progress?: ImportProgress }
  | { phase: 'done'; file: string; summary: ImportSummary }
  | { phase: 'failed'; file: string; message: string };

/** A database to import from, with what narrows it (as the CLI's --format, --thread, --since, --schema). */
export type DatabaseImport = Omit<ImportOptions, 'files'> & { url: string };

export type ExportState = { phase: 'idle' } | { phase: 'running' } | { phase: 'done'; result: ExportResult } | { phase: 'failed'; message: string };

interface ExchangeState {
  import: ImportState;
  export: ExportState;
  /** Imports one file; resolves whether it was imported (the runs list is then the caller's to read again). */
  importFile(file: File): Promise<boolean>;
  /** Imports what is new in a database (a LangGraph PostgresSaver, a Mastra Postgres store); resolves as importFile. */
  importDatabase(source: DatabaseImport): Promise<boolean>;
  importProgress(event: ImportProgress): void;
  exportRuns(options: ExportChoice, fileName: string): Promise<void>;
  reset(): void;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export const useExchange = create<ExchangeState>()((set, get) => ({
  import: { phase: 'idle' },
  export: { phase: 'idle' },
  importFile: async (file) => {
    if (get().import.phase === 'running') return false;
    set({ import: { phase: 'running', file: file.name } });
    try {
      const summary = await fileExchange().importFile(file, 'auto', (bytes, of) => {
        const current = get().import;
        if (current.phase === 'running') set({ import: { ...current, sent: { bytes, of } } });
      });
      set({ import: { phase: 'done', file: file.name, summary } });
      return true;
    } catch (err) {
      set({ import: { phase: 'failed', file: file.name, message: messageOf(err) } });
      return false;
    }
  },
  importDatabase: async ({ url, ...narrowing }) => {
    if (get().import.phase === 'running') return false;
    const shown = shownDatabaseUrl(url);
    set({ import: { phase: 'running', file: shown } });
    try {
      const summary = await studio().importFiles({ files: [url], ...narrowing });
      set({ import: { phase: 'done', file: shown, summary } });
      return true;
    } catch (err) {
      set({ import: { phase: 'failed', file: shown, message: messageOf(err) } });
      return false;
    }
  },
  importProgress: (event) => {
    const current = get().import;
    if (current.phase === 'running') set({ import: { ...current, progress: event } });
  },
  exportRuns: async (options, fileName) => {
    set({ export: { phase: 'running' } });
    try {
      const result = await fileExchange().exportRuns(options, fileName);
      set({ export: result ? { phase: 'done', result } : { phase: 'idle' } });
    } catch (err) {
      set({ export: { phase: 'failed', message: messageOf(err) } });
    }
  },
  reset: () => set((s) => ({ import: s.import.phase === 'running' ? s.import : { phase: 'idle' }, export: s.export.phase === 'running' ? s.export : { phase: 'idle' } })),
}));
