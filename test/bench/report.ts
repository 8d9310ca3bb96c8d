// The shape of the `npm run bench` report: sections of rows, each a measured value with, where it has
// one, the baseline measured in the same run and the ratio to it, and the target it is checked against.
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** The same measure for the baseline system, taken in the same run. */
  baseline?: { name: string; value: number };
  /** Human-readable target, e.g. "≤ 2× floor" or "< 300 ms". */
  target?: string;
  pass?: boolean;
}

export interface BenchSection {
  title: string;
  rows: BenchRow[];
  notes?: string[];
}

export function ratio(row: BenchRow): number | undefined {
  return row.baseline && row.baseline.value > 0 ? row.value / row.baseline.value : undefined;
}
