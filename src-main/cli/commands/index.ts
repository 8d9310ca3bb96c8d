// Every command of snapshot-studio, in the order --help lists them.
import type { Command } from '../command';
import { diff } from './diff';
import { exportRuns, importFiles } from './exchange';
import { fork } from './fork';
import { replay } from './replay';
import { resume } from './resume';
import { prune, retention } from './retention';
import { retry } from './retry';
import { run } from './run';
import { runs } from './runs';
import { serve } from './serve';
import { show } from './show';
import { snapshot } from './snapshot';
import { snapshots } from './snapshots';
import { cancel, pause } from './stop';
import { versions } from './versions';
import { worker } from './worker';
import { workflows } from './workflows';

export const commands: Record<string, Command> = {
  workflows,
  run,
  runs,
  snapshots,
  show,
  diff,
  versions,
  resume,
  retry,
  fork,
  snapshot,
  retention,
  prune,
  export: exportRuns,
  import: importFiles,
  replay,
  pause,
  cancel,
  serve,
  worker,
};
