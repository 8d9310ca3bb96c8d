// The LangGraph adapter for files: a SqliteSaver database (tables `checkpoints` and `writes`), detected from
// its schema, read off-thread (sqliteFile.ts) and mapped thread by thread (threads.ts).
import Database from 'better-sqlite3';
import type { ForeignAdapter } from '../../types';
import { isSqliteHead, type SqliteOptions } from '../mastraDatabase';
import { langgraphRuns } from './threads';
import { LANGGRAPH_TABLES, readLangGraphSqlite, type ThreadFilter } from './sqliteFile';

/** Whether an SQLite file has LangGraph's tables; false for anything it cannot open. Reads the schema only. */
export function hasLangGraphTables(file: string, options: SqliteOptions = {}): boolean {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
    try {
      const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
      return LANGGRAPH_TABLES.every((t) => names.includes(t));
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}

export function createLangGraphAdapter(options: SqliteOptions & { filter?: ThreadFilter } = {}): ForeignAdapter {
  return {
    format: 'langgraph',
    detect: ({ file, head }) => isSqliteHead(head) && hasLangGraphTables(file, options),
    async read(files) {
      const runs = [];
      for (const file of files) runs.push(...langgraphRuns(await readLangGraphSqlite(file, options.filter, options)).runs);
      return runs;
    },
  };
}
