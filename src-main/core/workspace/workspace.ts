// The workspace: a folder of *.workflow.ts / *.workflow.js files. Loading it bundles and inspects each
// file on its own, so one broken file is reported (file, line, reason) while the others keep working.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { WorkflowProblem, WorkflowSummary } from '../../shared/api';
import { StepWorker, type WorkflowMeta } from '../engine/stepWorker';
import { BundleError, bundleWorkflowFile } from './bundle';
import { stepGraphProblem } from '../engine/stepGraph';

const WORKFLOW_FILE = /\.workflow\.(ts|js|mts|mjs|cts|cjs)$/;

export interface LoadedWorkflow {
  summary: WorkflowSummary;
  file: string;
  source: string;
  bundle: string;
}

export interface LoadedWorkspace {
  dir: string;
  workflows: Map<string, LoadedWorkflow>;
  problems: WorkflowProblem[];
}

export function findWorkflowFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (WORKFLOW_FILE.test(entry.name)) found.push(p);
    }
  };
  walk(dir);
  return found.sort();
}

/**
 * The description this app stored for a version when it loaded or ran the same bundle before, if it did. The
 * store's reads may be synchronous or not, so both are taken.
 */
export type DescribedVersion = (version: string) => WorkflowSummary | undefined | Promise<WorkflowSummary | undefined>;

/** Evaluates a bundle in a step worker, as a run would, for its definition (id, steps, config schema…). */
async function describe(bundle: string, file: string): Promise<WorkflowMeta> {
  const { worker, meta } = await StepWorker.load(bundle, file);
  await worker.close();
  return meta;
}

/**
 * Bundles every workflow file (its version is the bundle's hash, so an edit of the file or of anything it imports is
 * seen). A bundle `described` knows is not evaluated again: the same bundle defines the same workflow, and a worker
 * thread per file is most of a load's time, which every command that loads an unchanged workspace would pay.
 */
export async function loadWorkspace(dir: string, described?: DescribedVersion): Promise<LoadedWorkspace> {
  const workflows = new Map<string, LoadedWorkflow>();
  const problems: WorkflowProblem[] = [];
  const files = findWorkflowFiles(dir);
  // Side by side: esbuild builds them in parallel, so the wait is about the slowest file's, not the sum of all.
  const bundles = await Promise.allSettled(files.map((file) => bundleWorkflowFile(file, dir)));
  for (const [i, file] of files.entries()) {
    const rel = relative(dir, file);
    try {
      const settled = bundles[i];
      if (settled.status === 'rejected') throw settled.reason;
      const bundled = settled.value;
      const meta = (await described?.(bundled.version)) ?? (await describe(bundled.bundle, file));
      const graphProblem = stepGraphProblem(meta.id, meta.steps);
      if (graphProblem) {
        problems.push({ file: rel, message: graphProblem });
        continue;
      }
      const existing = workflows.get(meta.id);
      if (existing) {
        problems.push({ file: rel, message: `duplicate workflow id "${meta.id}": ${existing.summary.file} already defines it` });
        continue;
      }
      const summary: WorkflowSummary = { ...meta, file: rel, version: bundled.version };
      workflows.set(meta.id, { summary, file, source: bundled.source, bundle: bundled.bundle });
    } catch (err) {
      if (err instanceof BundleError) problems.push({ file: rel, line: err.line, column: err.column, message: err.message });
      else problems.push({ file: rel, message: `${rel}: ${(err as Error).message}` });
    }
  }
  return { dir, workflows, problems };
}
