// What `import` prints on stderr while it works: the file read so far, then the copy into the database.
import { describe, expect, it } from 'vitest';
import { importProgressLine } from '../../src-main/cli/format';

describe('import progress on stderr', () => {
  it('says how far the reading of a file and then the copy into the database have come', () => {
    expect(importProgressLine({ type: 'import-progress', phase: 'reading', file: '/x/a.ssx.ndjson.gz', bytesRead: 50, totalBytes: 200, snapshots: 1200 })).toBe(
      'importing /x/a.ssx.ndjson.gz: 25% (1200 snapshots)',
    );
    expect(importProgressLine({ type: 'import-progress', phase: 'copying', file: '/x/a.ssx.ndjson.gz', bytesRead: 200, totalBytes: 200, snapshots: 5000, totalSnapshots: 20000 })).toBe(
      'copying into the database: 25% (5000 of 20000 snapshots)',
    );
  });
});
