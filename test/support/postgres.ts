// The PostgreSQL server of a test run, as test files use it: the global setup (postgresSetup.ts) starts one
// server per run and provides its URL; each test file makes databases of its own on it (createDatabase).
// Where no PostgreSQL is installed the suites that need one say why and skip, except in CI (CI=true), where
// the global setup fails instead.
import pg from 'pg';
import { describe, inject } from 'vitest';
import { createDatabase, databaseUrl } from './postgresServer';

export { createDatabase, databaseUrl };

/** What the global setup hands every test file: the server's URL (superuser), or why there is none. */
export type PostgresContext = { url: string } | { unavailable: string };

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: PostgresContext;
  }
}

/** The server of this test run; undefined (with the reason printed once) where none could be had outside CI. */
export function postgresServer(): { url: string } | undefined {
  const ctx = inject('postgres');
  if ('url' in ctx) return ctx;
  process.stderr.write(`PostgreSQL tests skipped: ${ctx.unavailable}\n`);
  return undefined;
}

/** A describe block that runs only where the test run has a PostgreSQL server (the reason printed otherwise). */
export function describePostgres(name: string, body: (server: { url: string }) => void): void {
  const server = postgresServer();
  describe.skipIf(!server)(name, () => {
    if (server) body(server);
  });
}

/** Runs queries on a database as the URL's user (the superuser, for a URL from createDatabase): roles, grants, checks. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A role that may read every table of the database's given schemas, and nothing else: its URL. */
export async function readerOf(url: string, schemas: string[]): Promise<string> {
  const role = `reader_${Math.random().toString(36).slice(2, 8)}`;
  await withClient(url, async (c) => {
    await c.query(`CREATE ROLE ${role} LOGIN`);
    for (const schema of schemas) await c.query(`GRANT USAGE ON SCHEMA "${schema}" TO ${role}; GRANT SELECT ON ALL TABLES IN SCHEMA "${schema}" TO ${role}`);
  });
  return databaseUrl(url, new URL(url).pathname.slice(1), role);
}

/** Every row of every table of a schema, to show a read changed nothing. */
export async function contents(url: string, schema: string): Promise<string> {
  return withClient(url, async (c) => {
    const tables = (await c.query<{ t: string }>('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [schema])).rows;
    const out: unknown[] = [];
    for (const { t } of tables) out.push(t, (await c.query(`SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) AS h, count(*) AS n FROM "${schema}"."${t}" x`)).rows);
    return JSON.stringify(out);
  });
}
