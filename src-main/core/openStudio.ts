// How a long-lived shell (the desktop app, serve) opens core: the service, then the runs a dead process
// left unfinished continue, and the workspace is watched so a saved workflow file becomes a new version.
import { StudioService, type StudioServiceOptions } from './studio';

export interface OpenStudioOptions extends StudioServiceOptions {
  /** Reload the workspace when a workflow file is saved, and announce runs other processes write. */
  watch: boolean;
  /** Continue runs left unfinished by a process that died, from their last snapshot (never when read-only). */
  recover: boolean;
}

export interface OpenedStudio {
  service: StudioService;
  /** The runs recovery continued (none without `recover`); it goes on in the background. */
  recovered: Promise<string[]>;
}

export async function openStudio({ watch, recover, ...options }: OpenStudioOptions): Promise<OpenedStudio> {
  const service = await StudioService.open(options);
  const recovered = recover && !service.store.readOnly ? service.recoverRuns() : Promise.resolve([]);
  if (watch) {
    service.watchWorkspace();
    service.watchOtherProcesses();
  }
  return { service, recovered };
}
