// Workflow files that could not be loaded: named with file and line, so the person can fix them.
import { useState } from 'react';
import type { WorkflowProblem } from '@shared/api';
import { useWorkflows } from './workflowsStore';
import './ProblemsBanner.css';

function location(p: WorkflowProblem): string {
  return [p.file, p.line, p.line !== undefined ? p.column : undefined].filter((x) => x !== undefined).join(':');
}

/** Messages often repeat the location the banner already shows; say it once. */
function messageWithoutLocation(p: WorkflowProblem): string {
  const where = location(p);
  return p.message.startsWith(`${where}: `) ? p.message.slice(where.length + 2) : p.message;
}

export function ProblemsBanner() {
  const problems = useWorkflows((s) => s.problems);
  const [expanded, setExpanded] = useState<boolean | null>(null);
  if (problems.length === 0) return null;
  // A few problems are shown at once; a long list waits for a click.
  const open = expanded ?? problems.length <= 3;
  const noun = problems.length === 1 ? 'workflow file' : 'workflow files';
  return (
    <div className="problems-banner" role="status" aria-label="Workflow problems">
      <button type="button" className="problems-banner__toggle" aria-expanded={open} onClick={() => setExpanded(!open)}>
        <span className="problems-banner__icon" aria-hidden>
          ⚠
        </span>
        {problems.length} {noun} could not be loaded
        <span className="problems-banner__chevron" aria-hidden>
          {open ? '▾' : '▸'}
        </span>
      </button>
      {open && (
        <ul>
          {problems.map((p, i) => (
            <li key={`${p.file}:${p.line ?? ''}:${i}`}>
              <code className="problems-banner__where">{location(p)}</code>
              <span className="problems-banner__message">{messageWithoutLocation(p)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
