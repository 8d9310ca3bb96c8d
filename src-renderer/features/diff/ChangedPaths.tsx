// The list of changed paths from core's diff summary, in document order.
import type { DiffSummary } from '../../../src-main/shared/api';

const OP_SIGN: Record<DiffSummary['paths'][number]['op'], string> = {
  added: '+',
  removed: '−',
  changed: '~',
  moved: '→',
};

export function ChangedPaths({ paths }: { paths: DiffSummary['paths'] }) {
  return (
    <details className="changed-paths" open>
      <summary>
        Changed paths <span className="changed-paths__count">{paths.length}</span>
      </summary>
      <ul aria-label="Changed paths">
        {paths.map((p, i) => (
          <li key={`${p.path}:${i}`} className={`changed-paths__item changed-paths__item--${p.op}`}>
            <span className="changed-paths__op" title={p.op} aria-label={p.op}>
              {OP_SIGN[p.op]}
            </span>
            <code>{p.path}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}
