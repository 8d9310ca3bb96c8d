// Settings kept in the database (the retention policy, say), each a JSON value under a key.
import type { Json } from '../../shared/snapshot';
import type { ReadableDB, WritableDB } from './handles';

export function getSetting(db: ReadableDB, key: string): Json | undefined {
  const row = db.sql('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as Json) : undefined;
}

export function setSetting(db: WritableDB, key: string, value: Json): void {
  db.sql('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
}
