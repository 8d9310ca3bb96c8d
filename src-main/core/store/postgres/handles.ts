// The two handles on a PostgreSQL store, typed apart as SQLite's are (../handles.ts): read queries take a
// PgReadable, write queries a PgWritable, so a read path cannot call a write.
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { StudioError } from '../../../shared/errors';

type Queryable = Pool | PoolClient;

/** SQLSTATE classes and codes of a connection lost or refused: the server shut down, crashed, or is out of reach. */
const CONNECTION_LOST = /^(08|57P0[1-3])/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/**
 * A query's failure as a person can act on it: a connection lost mid-query (the server stopped, the host or the
 * network went) is E_DB_CONNECT naming the server; every other error is the database's own, unchanged.
 */
export function connectionError(err: unknown, where: string): unknown {
  const e = err as { code?: string; message?: string };
  const lost = (e.code && (CONNECTION_LOST.test(e.code) || NETWORK_CODES.has(e.code))) || /Connection terminated|not queryable|Client has encountered a connection error/i.test(e.message ?? '');
  if (!lost || err instanceof StudioError) return err;
  return new StudioError('E_DB_CONNECT', `lost the connection to PostgreSQL at ${where} (${e.message || e.code})`);
}

export class PgReadable {
  constructor(
    protected readonly client: Queryable,
    /** host:port, for the message of a lost connection. */
    protected readonly where = 'the server',
  ) {}

  /** `name`: a statement each connection prepares once under that name (no parse and plan per call). */
  protected async query<R extends QueryResultRow>(text: string, params: unknown[], name?: string): Promise<QueryResult<R>> {
    try {
      return await (name ? this.client.query<R>({ name, text, values: params }) : this.client.query<R>(text, params));
    } catch (err) {
      throw connectionError(err, this.where);
    }
  }

  async rows<R extends QueryResultRow>(text: string, params: unknown[] = []): Promise<R[]> {
    return (await this.query<R>(text, params)).rows;
  }

  /** As rows(), through a statement each connection prepares once under `name` (no parse and plan per call), if named: for hot queries. */
  async preparedRows<R extends QueryResultRow>(name: string | undefined, text: string, params: unknown[]): Promise<R[]> {
    return (await this.query<R>(text, params, name)).rows;
  }

  async row<R extends QueryResultRow>(text: string, params: unknown[] = []): Promise<R | undefined> {
    return (await this.query<R>(text, params)).rows[0];
  }
}

export class PgWritable extends PgReadable {
  private declare readonly writable: true;

  async run(text: string, params: unknown[] = []): Promise<number> {
    return (await this.query(text, params)).rowCount ?? 0;
  }

  /** `fn` in one transaction on one connection of the pool: all of its writes or none. */
  async transaction<R>(fn: (tx: PgWritable) => Promise<R>): Promise<R> {
    if (!('connect' in this.client) || typeof (this.client as Pool).totalCount !== 'number') return fn(this); // already in one
    let client: PoolClient;
    try {
      client = await (this.client as Pool).connect();
    } catch (err) {
      throw connectionError(err, this.where);
    }
    let broken = false;
    try {
      const tx = new PgWritable(client, this.where);
      await tx.run('BEGIN');
      const result = await fn(tx);
      await tx.run('COMMIT');
      return result;
    } catch (err) {
      broken = err instanceof StudioError && err.code === 'E_DB_CONNECT';
      if (!broken) await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      // A connection that was lost is dropped, not handed to the next query.
      client.release(broken || undefined);
    }
  }
}
