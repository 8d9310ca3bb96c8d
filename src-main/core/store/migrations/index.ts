// The numbered migrations, in order. Each runs in its own transaction and sets PRAGMA user_version.
import type { Database } from 'better-sqlite3';
import { updateToSchemaVersion1 } from './001-initial';
import { updateToSchemaVersion2 } from './002-run-owner';
import { updateToSchemaVersion3 } from './003-retention-named-snapshots';
import { updateToSchemaVersion4 } from './004-run-metadata';
import { updateToSchemaVersion5 } from './005-snapshot-step-status';
import { updateToSchemaVersion6 } from './006-run-lease';
import { updateToSchemaVersion7 } from './007-work-orders';
import { updateToSchemaVersion8 } from './008-run-changes';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export const migrations: readonly Migration[] = [
  { version: 1, name: 'initial', up: updateToSchemaVersion1 },
  { version: 2, name: 'run-owner', up: updateToSchemaVersion2 },
  { version: 3, name: 'retention-named-snapshots', up: updateToSchemaVersion3 },
  { version: 4, name: 'run-metadata', up: updateToSchemaVersion4 },
  { version: 5, name: 'snapshot-step-status', up: updateToSchemaVersion5 },
  { version: 6, name: 'run-lease', up: updateToSchemaVersion6 },
  { version: 7, name: 'work-orders', up: updateToSchemaVersion7 },
  { version: 8, name: 'run-changes', up: updateToSchemaVersion8 },
];

export const LATEST_DB_VERSION = migrations[migrations.length - 1].version;
