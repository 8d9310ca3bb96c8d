// The two handles on the store's connection, typed apart as Signal Desktop's are: a query that reads takes
// a ReadableDB, one that writes a WritableDB, so a read path cannot call a write. The read handle also
// refuses, when it prepares it, any statement that would change the database.
import type { Statement } from 'better-sqlite3';
import type { Db } from './connection';

export class ReadableDB {
  /** Prepared once per SQL text: preparing costs more than running on the snapshot write path. */
  private readonly statements = new Map<string, Statement>();

  constructor(protected readonly connection: Db) {}

  sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.connection.prepare(text);
      this.allow(statement);
      this.statements.set(text, statement);
    }
    return statement;
  }

  protected allow(statement: Statement): void {
    if (!statement.readonly) throw new Error(`the store's read handle cannot write (${statement.source.trim().split(/\s+/, 1)[0]} refused)`);
  }
}

export class WritableDB extends ReadableDB {
  private declare readonly writable: true;

  protected override allow(): void {}

  /** `fn` wrapped to run in one transaction: all of its writes or none. */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
    return this.connection.transaction(fn);
  }
}
