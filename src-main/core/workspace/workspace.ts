// The workspace: a folder of *.workflow.ts / *.workflow.js files. Loading it bundles and inspects each
// file on its own, so one broken file is reported (file, line, reason) while the others keep working.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { WorkflowProblem, WorkflowSummary } from '../../shared/api';
import { StepWorker } from '../engine/stepWorker';
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

export async function loadWorkspace(dir: string): Promise<LoadedWorkspace> {
  const workflows = new Map<string, LoadedWorkflow>();
  const problems: WorkflowProblem[] = [];
  for (const file of findWorkflowFiles(dir)) {
    const rel = relative(dir, file);
    try {
      const bundled = await bundleWorkflowFile(file, dir);
      const { worker, meta } = await StepWorker.load(bundled.bundle, file);
      await worker.close();
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
