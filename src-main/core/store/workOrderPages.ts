// A page of the history by keyset over the stored work orders (schema version 7): the work orders after a
// cursor, newest activity first, that have a run matching the filter, and every run of them; with the counts
// the Runs list shows. Filters by workflow, status and origin only: a search by run id is the caller's.
import type { RunSummary } from '../../shared/api';
import type { ReadableDB } from './handles';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from './runRows';

export interface WorkOrderPageQuery {
  filter: { workflowId?: string; status?: string; origin?: string };
  /** The newest activity and first run's id of the last work order of the page before. */
  after?: [newest: string, root: string];
  limit: number;
}

export interface WorkOrderPage {
  /** The page's work orders in order: each first run's id and its newest activity. */
  workOrders: { root: string; newest: string }[];
  /** Every run of those work orders, in no particular order. */
  runs: RunSummary[];
  /** Whether work orders follow the page. */
  more: boolean;
  total: number;
  matching: number;
  /** Work orders with a matching run. */
  workOrderCount: number;
  workflowIds: string[];
}

export function listWorkOrderPage(db: ReadableDB, query: WorkOrderPageQuery): WorkOrderPage {
  const conditions: string[] = [];
  const values: string[] = [];
  for (const [column, value] of [['workflow_id', query.filter.workflowId], ['status', query.filter.status], ['origin', query.filter.origin]] as const) {
    if (!value) continue;
    conditions.push(`r.${column} = ?`);
    values.push(value);
  }
  const where = conditions.join(' AND ');
  // The work orders with a matching run, as one set the page's walk down the index checks: a correlated
  // EXISTS per work order would let SQLite probe it by workflow and scan every run of it for each one.
  const hasMatch = where ? `w.root IN (SELECT r.work_order FROM runs AS r WHERE ${where})` : '';
  const total = (db.sql('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
  const matching = where ? (db.sql(`SELECT count(*) AS n FROM runs AS r WHERE ${where}`).get(...values) as { n: number }).n : total;
  const workOrderCount = (
    db.sql(where ? `SELECT count(DISTINCT r.work_order) AS n FROM runs AS r WHERE ${where}` : 'SELECT count(*) AS n FROM work_orders').get(...values) as { n: number }
  ).n;
  // One index seek per workflow (there are few), not a scan of every run.
  const workflowIds = (
    db.sql(
      `WITH RECURSIVE w (id) AS (SELECT min(workflow_id) FROM runs UNION ALL SELECT (SELECT min(workflow_id) FROM runs WHERE workflow_id > w.id) FROM w WHERE w.id IS NOT NULL)
       SELECT id FROM w WHERE id IS NOT NULL`,
    ).all() as { id: string }[]
  ).map((r) => r.id);
  const summary = { total, matching, workOrderCount, workflowIds };
  if (query.limit <= 0) return { ...summary, workOrders: [], runs: [], more: workOrderCount > 0 };

  const page = [hasMatch, query.after ? '(w.newest, w.root) < (?, ?)' : ''].filter(Boolean);
  const workOrders = db.sql(
    `SELECT w.root, w.newest FROM work_orders AS w ${page.length ? `WHERE ${page.join(' AND ')}` : ''} ORDER BY w.newest DESC, w.root DESC LIMIT ?`,
  ).all(...values, ...(query.after ?? []), query.limit + 1) as { root: string; newest: string }[];
  const more = workOrders.length > query.limit;
  if (more) workOrders.pop();
  const roots = JSON.stringify(workOrders.map((w) => w.root));
  const rows = db.sql(`SELECT ${SUMMARY_COLUMNS} FROM runs WHERE work_order IN (SELECT value FROM json_each(?))`).all(roots) as SummaryRow[];
  return { ...summary, workOrders, runs: rows.map(toSummary), more };
}
