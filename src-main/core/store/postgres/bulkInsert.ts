// Many rows into one PostgreSQL table, for imports: a batch is one INSERT … SELECT FROM unnest() with one
// array parameter per column, so thousands of rows cost one round trip, and the next batch is gathered while
// the previous one is at the server. Rows go in in the order they were added (serial columns follow it).
import type { PgWritable } from './handles';

export type ColumnTypes = Readonly<Record<string, 'text' | 'bigint' | 'bytea'>>;

export const SNAPSHOT_COLUMN_TYPES: ColumnTypes = {
  run_id: 'text',
  seq: 'bigint',
  kind: 'text',
  step_id: 'text',
  status: 'text',
  at: 'text',
  encoding: 'text',
  body: 'bytea',
  size: 'bigint',
  stored_size: 'bigint',
  hash: 'text',
  step_status: 'text',
};

export const LOG_COLUMN_TYPES: ColumnTypes = { run_id: 'text', step_id: 'text', at: 'text', level: 'text', message: 'text', data: 'text' };

/** A batch is sent at this many rows or bytes, whichever comes first: large enough to amortize, small enough to hold. */
const BATCH_ROWS = 2000;
const BATCH_BYTES = 8 * 1024 * 1024;

type Row = Record<string, unknown>;

const sizeOf = (row: Row) => Object.values(row).reduce<number>((n, v) => n + (Buffer.isBuffer(v) || typeof v === 'string' ? v.length : 8), 0);

export class BulkInsert {
  private readonly columns: string[];
  private readonly sql: string;
  private rows: Row[] = [];
  private bytes = 0;
  private inFlight: Promise<unknown> = Promise.resolve();
  /** Rows added so far. */
  added = 0;

  constructor(
    private readonly tx: PgWritable,
    table: string,
    types: ColumnTypes,
  ) {
    this.columns = Object.keys(types);
    const params = this.columns.map((c, i) => `$${i + 1}::${types[c]}[]`).join(', ');
    const names = this.columns.map((c) => `u.${c}`).join(', ');
    this.sql = `INSERT INTO ${table} (${this.columns.join(', ')}) SELECT ${names} FROM unnest(${params}) WITH ORDINALITY AS u(${this.columns.join(', ')}, ord) ORDER BY u.ord`;
  }

  /** Adds a row (its keys the table's columns); sends the batch once it is full. */
  async add(row: Row): Promise<void> {
    this.rows.push(row);
    this.added += 1;
    this.bytes += sizeOf(row);
    if (this.rows.length >= BATCH_ROWS || this.bytes >= BATCH_BYTES) await this.send();
  }

  /** Sends what is left and waits for every batch: a batch the server refused throws here at the latest. */
  async finish(): Promise<void> {
    await this.send();
    await this.inFlight;
  }

  private async send(): Promise<void> {
    if (this.rows.length === 0) return;
    const arrays = this.columns.map((c) => this.rows.map((r) => r[c] ?? null));
    this.rows = [];
    this.bytes = 0;
    await this.inFlight;
    const sent = this.tx.run(this.sql, arrays);
    // Awaited by the next send or by finish(); until then its failure must not count as unhandled.
    sent.catch(() => undefined);
    this.inFlight = sent;
  }
}
