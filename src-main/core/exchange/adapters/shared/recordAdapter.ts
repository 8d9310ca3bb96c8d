// The common shape of an adapter whose files hold one record per point of a run's timeline: detect by
// top-level keys, read every record of every file into a point, group the points by run, build runs.
import { breather } from '../../breather';
import type { ForeignAdapter, ForeignFormat, ImportedRun } from '../../types';
import { groupBy } from './document';
import { looksLike, readRecords, type ForeignRecord } from './records';

export interface RecordAdapterSpec<P> {
  format: ForeignFormat;
  /** Top-level keys every record of the format has. */
  keys: string[];
  /** Another way in (a database file, say) tried before the keys; must not throw. */
  detectOther?: (sample: { file: string; head: string }) => boolean | undefined;
  /** Records of a file, when not JSON / a JSON array / NDJSON. */
  records?: (file: string) => Promise<ForeignRecord[]>;
  point(record: ForeignRecord): P;
  runKey(point: P): string;
  toRun(points: P[]): ImportedRun;
}

export function recordAdapter<P>(spec: RecordAdapterSpec<P>): ForeignAdapter {
  const records = spec.records ?? readRecords;
  return {
    format: spec.format,
    detect(sample) {
      try {
        return spec.detectOther?.(sample) ?? looksLike(sample.head, spec.keys);
      } catch {
        return false;
      }
    },
    async read(files) {
      const points: P[] = [];
      const breathe = breather();
      for (const file of files) {
        for (const record of await records(file)) {
          points.push(spec.point(record));
          await breathe();
        }
      }
      const runs: ImportedRun[] = [];
      for (const group of groupBy(points, spec.runKey).values()) {
        runs.push(spec.toRun(group));
        await breathe();
      }
      return runs;
    },
  };
}
