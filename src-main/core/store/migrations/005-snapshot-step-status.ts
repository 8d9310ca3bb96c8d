// Schema version 5: each snapshot row keeps the outcome of its own step (`step_status`: failed, completed,
// started, …; NULL on a run's snapshot), so a run's snapshot list tells a failed step from the run's status
// without reading documents. Rows written before are filled in: from their kind where it says the outcome,
// otherwise (a step's imported or edited snapshot) from the step's status in the document.
import type { Database } from 'better-sqlite3';
import { STEP_OUTCOME_BY_KIND, stepOutcome } from '../../../shared/stepOutcome';
import { decodeChain, type StoredRow } from '../snapshotCodec';

export function updateToSchemaVersion5(db: Database): void {
  db.exec('ALTER TABLE snapshots ADD COLUMN step_status TEXT');
  const byKind = Object.entries(STEP_OUTCOME_BY_KIND);
  const cases = byKind.map(([kind, outcome]) => `WHEN '${kind}' THEN '${outcome}'`).join(' ');
  db.exec(`UPDATE snapshots SET step_status = CASE kind ${cases} END WHERE step_id IS NOT NULL`);
  const rest = db.prepare('SELECT run_id AS runId, seq FROM snapshots WHERE step_id IS NOT NULL AND step_status IS NULL').all() as { runId: string; seq: number }[];
  const chain = db.prepare(
    `SELECT run_id, seq, encoding, body, hash FROM snapshots WHERE run_id = @runId AND seq <= @seq AND seq >=
       (SELECT MAX(seq) FROM snapshots WHERE run_id = @runId AND seq <= @seq AND encoding <> 'delta') ORDER BY seq`,
  );
  const set = db.prepare('UPDATE snapshots SET step_status = ? WHERE run_id = ? AND seq = ?');
  for (const { runId, seq } of rest) {
    try {
      set.run(stepOutcome(decodeChain(chain.all({ runId, seq }) as StoredRow[])), runId, seq);
    } catch {
      // A row that cannot be read keeps NULL: reading it reports what is wrong with it, as before.
    }
  }
}
