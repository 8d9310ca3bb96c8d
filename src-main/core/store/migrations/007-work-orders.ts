// Schema version 7: each run keeps the id of its work order's first run (`work_order`: the run itself when
// it links to no parent, else its parent's work order; the parent is retry_of, else forked_from, else
// replay_of), and `work_orders` keeps each work order's newest activity (the latest created_at among its
// runs), indexed in the history's order, so a page of the history is read by keyset (listWorkOrderPage)
// instead of grouping every run for every page. A trigger keeps both current as runs are added; a change of
// a run's links (an import setting them after its rows are copied) moves a whole subtree, which a trigger
// cannot follow (no recursion in SQLite triggers): the import calls refreshWorkOrders after setting them.
import type { Database } from 'better-sqlite3';

/** A run's parent, as shared/workOrders.ts parentOf reads it. */
const PARENT = (run?: string) => {
  const of = run ? `${run}.` : '';
  return `coalesce(${of}retry_of, ${of}forked_from, ${of}replay_of)`;
};

/**
 * Recomputes every run's work order and every work order's newest activity from the links. A run on a cycle
 * of links (only a crafted import can make one) reaches no first run and keeps NULL, as the window's grouping
 * leaves it out.
 */
export function refreshWorkOrders(db: Pick<Database, 'exec'>): void {
  db.exec(`
    CREATE TEMP TABLE work_order_of AS
      WITH RECURSIVE tree (id, root) AS (
        SELECT id, id FROM runs WHERE ${PARENT('runs')} IS NULL
        UNION ALL
        SELECT child.id, tree.root FROM runs AS child JOIN tree ON ${PARENT('child')} = tree.id
      )
      SELECT id, root FROM tree;
    CREATE UNIQUE INDEX temp.work_order_of_id ON work_order_of (id);
    UPDATE runs SET work_order = (SELECT root FROM temp.work_order_of AS w WHERE w.id = runs.id);
    DROP TABLE temp.work_order_of;
    DELETE FROM work_orders;
    INSERT INTO work_orders (root, newest) SELECT work_order, max(created_at) FROM runs WHERE work_order IS NOT NULL GROUP BY work_order;
  `);
}

export function updateToSchemaVersion7(db: Database): void {
  db.exec(`
    ALTER TABLE runs ADD COLUMN work_order TEXT;
    CREATE INDEX runs_by_parent ON runs (${PARENT()});
    CREATE INDEX runs_by_work_order ON runs (work_order);
    CREATE INDEX runs_by_workflow ON runs (workflow_id);
    CREATE TABLE work_orders (
      root TEXT PRIMARY KEY,
      newest TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX work_orders_by_newest ON work_orders (newest DESC, root DESC);
    CREATE TRIGGER runs_join_work_order AFTER INSERT ON runs BEGIN
      UPDATE runs SET work_order = coalesce((SELECT parent.work_order FROM runs AS parent WHERE parent.id = ${PARENT('NEW')}), NEW.id)
        WHERE id = NEW.id;
      INSERT INTO work_orders (root, newest) SELECT work_order, NEW.created_at FROM runs WHERE id = NEW.id AND work_order IS NOT NULL
        ON CONFLICT (root) DO UPDATE SET newest = max(newest, excluded.newest);
    END;
  `);
  refreshWorkOrders(db);
}
