// Workflow files that could not be loaded: named with file and line, so the person can fix them.
import { useState } from 'react';
import { useWorkflows } from './workflowsStore';
import './ProblemsBanner.css';

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
              <code className="problems-banner__where">
                {p.file}
                {p.line !== undefined ? `:${p.line}` : ''}
                {p.line !== undefined && p.column !== undefined ? `:${p.column}` : ''}
              </code>
              <span className="problems-banner__message">{p.message}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
