// Named snapshots: a workflow version frozen with a config and an input under a name, runnable later from
// its stored source whatever the workspace holds by then.
import type { CreateNamedSnapshotOptions, NamedSnapshot, RunSummary } from '../shared/api';
import { StudioError } from '../shared/errors';
import type { RunParts } from './runs/starts';
import type { Runnable } from './versions/registry';

const now = () => new Date().toISOString();

export async function createNamedSnapshot({ store, versions, workers }: RunParts, name: string, options: CreateNamedSnapshotOptions): Promise<NamedSnapshot> {
  let workflow: Runnable;
  if (options.version === undefined || options.version === 'latest') workflow = versions.latest(options.workflowId);
  else {
    workflow = await versions.stored(options.version);
    if (workflow.summary.id !== options.workflowId) {
      throw new StudioError('E_BAD_ARGUMENT', `version ${options.version} belongs to workflow "${workflow.summary.id}", not "${options.workflowId}"`);
    }
  }
  const config = await workers.parseConfig(workflow, options.config);
  await versions.remember(workflow, 'ran');
  const named: NamedSnapshot = { name, workflowId: workflow.summary.id, workflowVersion: workflow.summary.version, config, input: options.input ?? null, createdAt: now() };
  await store.write.saveNamedSnapshot(named);
  return named;
}

export async function runNamedSnapshot({ store, versions, runs }: RunParts, ref: { name: string } | { workflowId: string }): Promise<RunSummary> {
  let named: NamedSnapshot;
  if ('name' in ref) named = await store.read.getNamedSnapshot(ref.name);
  else {
    const newest = (await store.read.listNamedSnapshots(ref.workflowId))[0];
    if (!newest) throw new StudioError('E_NO_NAMED_SNAPSHOT', `workflow "${ref.workflowId}" has no named snapshots: save one first`);
    named = newest;
  }
  // The frozen version runs from its stored source, whatever the workspace holds now.
  return runs.begin(await versions.stored(named.workflowVersion), { input: named.input, config: named.config, origin: 'local', metadata: { namedSnapshot: named.name } });
}
