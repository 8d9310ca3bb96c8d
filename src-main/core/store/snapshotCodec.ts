// Turns a snapshot document into the bytes stored in a row and back, checking the content hash on
// every read so a corrupted row is reported by run and seq instead of being returned as if right.
// Encoding 'json' stores the full document; delta encodings against keyframes come with the engine issue.
import { createHash } from 'node:crypto';
import { StudioError } from '../../shared/errors';
import { SNAPSHOT_SCHEMA_VERSION, type SnapshotDocument } from '../../shared/snapshot';

export interface EncodedSnapshot {
  encoding: 'json';
  body: Buffer;
  size: number;
  hash: string;
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function encodeSnapshot(doc: SnapshotDocument): EncodedSnapshot {
  const text = JSON.stringify(doc);
  const body = Buffer.from(text, 'utf8');
  return { encoding: 'json', body, size: body.length, hash: contentHash(text) };
}

export function decodeSnapshot(row: { run_id: string; seq: number; encoding: string; body: Buffer; hash: string }): SnapshotDocument {
  if (row.encoding !== 'json') {
    throw new StudioError('E_SNAPSHOT_ENCODING', `snapshot ${row.run_id}#${row.seq} uses encoding "${row.encoding}", which this build cannot read`);
  }
  const text = row.body.toString('utf8');
  if (contentHash(text) !== row.hash) {
    throw new StudioError('E_SNAPSHOT_CORRUPT', `snapshot ${row.run_id}#${row.seq} is corrupted: its content does not match its stored hash`);
  }
  const doc = JSON.parse(text) as SnapshotDocument;
  return checkSchemaVersion(doc, `snapshot ${row.run_id}#${row.seq}`);
}

/** Refuses documents of a newer schema than this build knows; there are no older ones yet to migrate. */
export function checkSchemaVersion(doc: SnapshotDocument, where: string): SnapshotDocument {
  const v = (doc as { schemaVersion?: unknown }).schemaVersion;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new StudioError('E_SCHEMA_VERSION', `${where}: schemaVersion must be a whole number from 1, got ${JSON.stringify(v)}`);
  }
  if (v > SNAPSHOT_SCHEMA_VERSION) {
    throw new StudioError(
      'E_SCHEMA_TOO_NEW',
      `${where}: snapshot schema version ${v} is newer than this build knows (${SNAPSHOT_SCHEMA_VERSION}); open it with a newer Snapshot Studio`,
    );
  }
  return doc;
}
