// PostgreSQL's numbered migrations, recorded in schema_migrations (version, name, applied_at). Version 1 is
// the SQLite schema as of its version 5, translated: BYTEA bodies, BIGINT sizes and seqs, TEXT for JSON (as
// SQLite stores it, so documents read back byte for byte) compared bytewise (COLLATE "C", as SQLite compares), and
// a serial `n` where SQLite orders by rowid.

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

export const pgMigrations: readonly PgMigration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE workflows (
        id TEXT COLLATE "C" PRIMARY KEY,
        name TEXT COLLATE "C" NOT NULL,
        file TEXT COLLATE "C",
        latest_version TEXT COLLATE "C",
        updated_at TEXT COLLATE "C" NOT NULL
      );
      CREATE TABLE workflow_versions (
        n BIGSERIAL UNIQUE,
        hash TEXT COLLATE "C" PRIMARY KEY,
        workflow_id TEXT COLLATE "C" NOT NULL,
        source TEXT COLLATE "C" NOT NULL,
        bundle TEXT COLLATE "C" NOT NULL,
        meta TEXT COLLATE "C" NOT NULL,
        why TEXT COLLATE "C" NOT NULL CHECK (why IN ('saved', 'ran', 'imported')),
        created_at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX workflow_versions_by_workflow ON workflow_versions (workflow_id, created_at);
      CREATE TABLE runs (
        id TEXT COLLATE "C" PRIMARY KEY,
        workflow_id TEXT COLLATE "C" NOT NULL,
        workflow_version TEXT COLLATE "C" NOT NULL REFERENCES workflow_versions (hash),
        status TEXT COLLATE "C" NOT NULL,
        origin TEXT COLLATE "C" NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'imported', 'replay')),
        input TEXT COLLATE "C" NOT NULL,
        config TEXT COLLATE "C" NOT NULL,
        result TEXT COLLATE "C",
        error TEXT COLLATE "C",
        retry_of TEXT COLLATE "C" REFERENCES runs (id),
        forked_from TEXT COLLATE "C" REFERENCES runs (id),
        replay_of TEXT COLLATE "C" REFERENCES runs (id),
        name TEXT COLLATE "C",
        last_seq BIGINT NOT NULL DEFAULT 0,
        created_at TEXT COLLATE "C" NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL,
        runner_pid INTEGER,
        first_seq BIGINT NOT NULL DEFAULT 1,
        metadata TEXT COLLATE "C"
      );
      CREATE INDEX runs_by_created ON runs (created_at DESC, id);
      CREATE INDEX runs_unfinished ON runs (status) WHERE status IN ('pending', 'running', 'error', 'waiting');
      CREATE TABLE snapshots (
        run_id TEXT COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        seq BIGINT NOT NULL CHECK (seq >= 1),
        kind TEXT COLLATE "C" NOT NULL,
        step_id TEXT COLLATE "C",
        status TEXT COLLATE "C" NOT NULL,
        at TEXT COLLATE "C" NOT NULL,
        encoding TEXT COLLATE "C" NOT NULL,
        body BYTEA NOT NULL,
        size BIGINT NOT NULL,
        stored_size BIGINT NOT NULL,
        hash TEXT COLLATE "C" NOT NULL,
        step_status TEXT COLLATE "C",
        PRIMARY KEY (run_id, seq)
      );
      CREATE TABLE logs (
        n BIGSERIAL PRIMARY KEY,
        run_id TEXT COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        step_id TEXT COLLATE "C",
        at TEXT COLLATE "C" NOT NULL,
        level TEXT COLLATE "C" NOT NULL,
        message TEXT COLLATE "C" NOT NULL,
        data TEXT COLLATE "C"
      );
      CREATE INDEX logs_by_run ON logs (run_id, at);
      CREATE TABLE settings (
        key TEXT COLLATE "C" PRIMARY KEY,
        value TEXT COLLATE "C" NOT NULL
      );
      CREATE TABLE named_snapshots (
        n BIGSERIAL UNIQUE,
        name TEXT COLLATE "C" PRIMARY KEY,
        workflow_id TEXT COLLATE "C" NOT NULL,
        workflow_version TEXT COLLATE "C" NOT NULL REFERENCES workflow_versions (hash),
        config TEXT COLLATE "C" NOT NULL,
        input TEXT COLLATE "C" NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX named_snapshots_by_workflow ON named_snapshots (workflow_id, created_at);
    `,
  },
  {
    version: 2,
    name: 'run-lease',
    // As SQLite's 006: the run a process drives is held by a lease (owner, expiry in ms by the database's clock).
    sql: `
      ALTER TABLE runs ADD COLUMN lease_owner TEXT COLLATE "C";
      ALTER TABLE runs ADD COLUMN lease_expires_at BIGINT;
    `,
  },
  {
    version: 3,
    name: 'run-notify',
    // Live across processes: every change of a run's row (a snapshot appended moves last_seq) is announced on
    // the channel snapshot_studio_runs with the run's id, for the windows and serve processes that LISTEN.
    sql: `
      CREATE FUNCTION snapshot_studio_notify_run() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('snapshot_studio_runs', NEW.id);
        RETURN NEW;
      END $$;
      CREATE TRIGGER runs_notify AFTER INSERT OR UPDATE ON runs FOR EACH ROW EXECUTE FUNCTION snapshot_studio_notify_run();
    `,
  },
  {
    version: 4,
    name: 'work-orders',
    // As SQLite's 007: each run keeps its work order's first run (work_order), work_orders each one's newest
    // activity under an index in the history's order; a trigger keeps both as runs are added, and an import that
    // sets links afterwards recomputes them (snapshot_studio_refresh_work_orders()).
    sql: `
      ALTER TABLE runs ADD COLUMN work_order TEXT COLLATE "C";
      CREATE INDEX runs_by_parent ON runs ((coalesce(retry_of, forked_from, replay_of)));
      CREATE INDEX runs_by_work_order ON runs (work_order);
      CREATE INDEX runs_by_workflow ON runs (workflow_id);
      CREATE TABLE work_orders (
        root TEXT COLLATE "C" PRIMARY KEY,
        newest TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX work_orders_by_newest ON work_orders (newest DESC, root DESC);
      CREATE FUNCTION snapshot_studio_join_work_order() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        wo TEXT;
      BEGIN
        SELECT parent.work_order INTO wo FROM runs AS parent WHERE parent.id = coalesce(NEW.retry_of, NEW.forked_from, NEW.replay_of);
        wo := coalesce(wo, NEW.id);
        UPDATE runs SET work_order = wo WHERE id = NEW.id AND work_order IS DISTINCT FROM wo;
        INSERT INTO work_orders (root, newest) VALUES (wo, NEW.created_at)
          ON CONFLICT (root) DO UPDATE SET newest = greatest(work_orders.newest, excluded.newest);
        RETURN NEW;
      END $$;
      CREATE TRIGGER runs_join_work_order AFTER INSERT ON runs FOR EACH ROW EXECUTE FUNCTION snapshot_studio_join_work_order();
      CREATE FUNCTION snapshot_studio_refresh_work_orders() RETURNS void LANGUAGE sql AS $$
        WITH RECURSIVE tree (id, root) AS (
          SELECT id, id FROM runs WHERE coalesce(retry_of, forked_from, replay_of) IS NULL
          UNION ALL
          SELECT child.id, tree.root FROM runs AS child JOIN tree ON coalesce(child.retry_of, child.forked_from, child.replay_of) = tree.id
        )
        -- A run on a cycle of links (only a crafted import makes one) reaches no first run: NULL, as on SQLite.
        UPDATE runs SET work_order = t.root FROM (SELECT r.id, tree.root FROM runs AS r LEFT JOIN tree ON tree.id = r.id) AS t
          WHERE t.id = runs.id AND runs.work_order IS DISTINCT FROM t.root;
        DELETE FROM work_orders;
        INSERT INTO work_orders (root, newest) SELECT work_order, max(created_at) FROM runs WHERE work_order IS NOT NULL GROUP BY work_order;
      $$;
      SELECT snapshot_studio_refresh_work_orders();
    `,
  },
];

/** The channel a run's id is announced on whenever its row changes (migration 3). */
export const RUN_CHANNEL = 'snapshot_studio_runs';

export const LATEST_PG_VERSION = pgMigrations[pgMigrations.length - 1].version;

/** The tables this build's schema has: a database holding others (and no schema_migrations) is not ours. */
export const OUR_TABLES = ['schema_migrations', 'workflows', 'workflow_versions', 'runs', 'snapshots', 'logs', 'settings', 'named_snapshots', 'work_orders'];
