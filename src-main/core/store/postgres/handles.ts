// The two handles on a PostgreSQL store, typed apart as SQLite's are (../handles.ts): read queries take a
// PgReadable, write queries a PgWritable, so a read path cannot call a write.
import type { Pool, PoolClient, QueryResultRow } from 'pg';

type Queryable = Pool | PoolClient;

export class PgReadable {
  constructor(protected readonly client: Queryable) {}

  async rows<R extends QueryResultRow>(text: string, params: unknown[] = []): Promise<R[]> {
    return (await this.client.query<R>(text, params)).rows;
  }

  /** As rows(), through a statement each connection prepares once under `name` (no parse and plan per call): for hot reads. */
  async preparedRows<R extends QueryResultRow>(name: string, text: string, params: unknown[]): Promise<R[]> {
    return (await this.client.query<R>({ name, text, values: params })).rows;
  }

  async row<R extends QueryResultRow>(text: string, params: unknown[] = []): Promise<R | undefined> {
    return (await this.client.query<R>(text, params)).rows[0];
  }
}

export class PgWritable extends PgReadable {
  private declare readonly writable: true;

  async run(text: string, params: unknown[] = []): Promise<number> {
    return (await this.client.query(text, params)).rowCount ?? 0;
  }

  /** `fn` in one transaction on one connection of the pool: all of its writes or none. */
  async transaction<R>(fn: (tx: PgWritable) => Promise<R>): Promise<R> {
    if (!('connect' in this.client) || typeof (this.client as Pool).totalCount !== 'number') return fn(this); // already in one
    const client = await (this.client as Pool).connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new PgWritable(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}
