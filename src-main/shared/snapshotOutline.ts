// The run's newest snapshot as the waterfall, the graph and the run header use it: status, cursor and each
// step's status, attempts, iteration and times, without state, input, config, results or step data, which
// can weigh megabytes and are read in the Inspector from the full document. Pure: core serves it
// (StudioApi.getSnapshotOutline), so no shell carries the whole document to the window for it.
import type { SnapshotDocument, StepRecord } from './snapshot';

export function outlineOf(doc: SnapshotDocument): SnapshotDocument {
  const steps: Record<string, StepRecord> = {};
  for (const [id, step] of Object.entries(doc.steps)) {
    const { input: _input, output: _output, signals: _signals, ...kept } = step;
    steps[id] = kept;
  }
  const { result: _result, ...rest } = doc;
  return { ...rest, input: null, config: null, state: {}, steps, metadata: {} };
}
