// Retention: removing the oldest snapshots of finished runs by a policy, never a run's last one.
import type { PruneReport, RetentionPolicy } from '../../shared/api';
import { TERMINAL_STATUSES } from '../../shared/snapshot';
import type { WritableDB } from './handles';
import { runRow, TERMINAL, type RunRow } from './runRows';
import { encodeKeyframe } from './snapshotCodec';
import { getSnapshot } from './snapshotReads';

/**
 * Removes the oldest snapshots of finished runs by a policy, in one transaction. The first snapshot a run
 * keeps becomes a keyframe when it was a delta, so every kept snapshot still reads back exactly.
 */
export function prune(db: WritableDB, policy: RetentionPolicy, runIds?: string[]): PruneReport {
  const report: PruneReport = { policy, runs: 0, snapshots: 0, bytes: 0 };
  if (policy.keep === 'all') return report;
  const terminal = TERMINAL_STATUSES.map((s) => `'${s}'`).join(', ');
  const runs = (
    runIds
      ? runIds.map((id) => runRow(db, id)).filter((r) => TERMINAL.has(r.status))
      : db.sql(`SELECT * FROM runs WHERE status IN (${terminal})`).all()
  ) as RunRow[];
  db.transaction(() => {
    for (const run of runs) {
      if (run.last_seq === 0) continue;
      let cut: number;
      if (policy.keep === 'last') cut = run.last_seq - policy.count;
      else {
        const row = db.sql('SELECT MAX(seq) AS seq FROM snapshots WHERE run_id = ? AND at < ?').get(run.id, new Date(policy.before).toISOString()) as { seq: number | null };
        cut = row.seq ?? 0;
      }
      cut = Math.min(cut, run.last_seq - 1);
      if (cut < run.first_seq) continue;
      const keep = cut + 1;
      const first = db.sql('SELECT encoding, stored_size FROM snapshots WHERE run_id = ? AND seq = ?').get(run.id, keep) as { encoding: string; stored_size: number };
      let grown = 0;
      if (first.encoding === 'delta') {
        const encoded = encodeKeyframe(getSnapshot(db, run.id, keep));
        db.sql('UPDATE snapshots SET encoding = ?, body = ?, stored_size = ?, hash = ? WHERE run_id = ? AND seq = ?').run(encoded.encoding, encoded.body, encoded.body.length, encoded.hash, run.id, keep);
        grown = encoded.body.length - first.stored_size;
      }
      const removed = db.sql('SELECT COUNT(*) AS n, COALESCE(SUM(stored_size), 0) AS bytes FROM snapshots WHERE run_id = ? AND seq <= ?').get(run.id, cut) as { n: number; bytes: number };
      db.sql('DELETE FROM snapshots WHERE run_id = ? AND seq <= ?').run(run.id, cut);
      db.sql('UPDATE runs SET first_seq = ? WHERE id = ?').run(keep, run.id);
      report.runs += 1;
      report.snapshots += removed.n;
      report.bytes += removed.bytes - grown;
    }
  })();
  return report;
}
