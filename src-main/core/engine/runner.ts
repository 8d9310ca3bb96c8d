// Drives one run: applies scheduler transitions, persists every snapshot through the store, and runs
// step code in the run's worker. Steps run one at a time here; parallel steps come with the engine issue.
import type { SnapshotDocument } from '../../shared/snapshot';
import { next, resultsFor, isSettled, type EngineEvent, type StepGraph } from './scheduler';
import type { StepWorker } from './stepWorker';

export interface RunSink {
  /** Persists a snapshot; throws when its seq is not the run's next one. */
  write(doc: SnapshotDocument): void;
  log(line: { runId: string; stepId: string; at: string; message: string; data?: unknown }): void;
}

const now = () => new Date().toISOString();

export async function driveRun(graph: StepGraph, first: SnapshotDocument, worker: StepWorker, sink: RunSink): Promise<SnapshotDocument> {
  let doc = first;
  const apply = (event: EngineEvent) => {
    doc = next(graph, doc, event);
    sink.write(doc);
  };
  while (!isSettled(doc)) {
    const stepId = doc.cursor.ready[0];
    apply({ type: 'step-started', stepId, at: now() });
    const outcome = await worker.runStep(
      {
        runId: doc.runId,
        stepId,
        input: doc.input,
        config: doc.config,
        results: resultsFor(graph, doc, stepId),
        state: doc.state,
        attempt: doc.steps[stepId].attempts,
      },
      (message, data) => sink.log({ runId: doc.runId, stepId, at: now(), message, data }),
    );
    if (outcome.ok) apply({ type: 'step-completed', stepId, at: now(), output: outcome.output, state: outcome.state });
    else apply({ type: 'step-failed', stepId, at: now(), error: outcome.error });
  }
  apply({ type: 'run-ended', at: now() });
  return doc;
}
