// The foreign adapters the import pipeline tries, in order: each detects its format from a
// file's first bytes and reads files into ImportedRun values.
import type { ForeignAdapter } from '../types';
import { kaibanAdapter } from './kaiban';
import { createLangGraphAdapter } from './langgraph/adapter';
import type { ThreadFilter } from './langgraph/sqliteFile';
import { createMastraAdapter } from './mastra';
import type { SqliteOptions } from './mastraDatabase';
import { refluxoAdapter } from './refluxo';
import { temporalAdapter } from './temporal';

/** The adapters, with Mastra's SQLite reader opened through the given better-sqlite3 binding (Electron). */
export function foreignAdapters(options: SqliteOptions & { filter?: ThreadFilter } = {}): ForeignAdapter[] {
  return [createMastraAdapter(options), createLangGraphAdapter(options), kaibanAdapter, refluxoAdapter, temporalAdapter];
}

export const FOREIGN_ADAPTERS: ForeignAdapter[] = foreignAdapters();
