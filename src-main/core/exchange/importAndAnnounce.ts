// An import as the shells see it: the import pipeline with progress events, then a run-updated event for
// each run it added or extended (a source's thread that went on).
import type { ImportOptions, StudioEvent } from '../../shared/api';
import type { SnapshotStore } from '../store/contract';
import { importFiles, type ImportOutcome } from './importer';
import { sourceOptions } from './sources/options';

export async function importAndAnnounce(store: SnapshotStore, emit: (event: StudioEvent) => void, options: ImportOptions, nativeBinding: string | undefined): Promise<ImportOutcome> {
  const outcome = await importFiles(store, options.files, {
    format: options.format,
    ...sourceOptions(options),
    openOptions: { nativeBinding },
    onProgress: (p) => emit({ type: 'import-progress', ...p }),
  });
  for (const id of [...outcome.runIds, ...outcome.extendedRunIds]) emit({ type: 'run-updated', run: await store.read.getRunSummary(id) });
  return outcome;
}
