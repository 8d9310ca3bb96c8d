// Each adapter recognises its own exports from their first bytes, and none claims another's.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FOREIGN_ADAPTERS } from '../../../../src-main/core/exchange/adapters';
import { fixture, FIXTURES, sample, scratchFiles } from './support';

const write = scratchFiles();

describe('foreign format detection', () => {
  it('lists one adapter per foreign format', () => {
    expect(FOREIGN_ADAPTERS.map((a) => a.format).sort()).toEqual(['kaiban', 'langgraph', 'mastra', 'refluxo', 'temporal']);
  });

  for (const adapter of FOREIGN_ADAPTERS) {
    for (const [format, files] of Object.entries(FIXTURES)) {
      const mine = format === adapter.format;
      it(`${adapter.format} ${mine ? 'claims' : 'leaves'} the ${format} fixtures`, () => {
        for (const file of files) expect([file, adapter.detect(sample(file))]).toEqual([file, mine]);
      });
    }
  }

  it('every adapter says no, without throwing, to text that is no export at all', () => {
    const samples = [
      { file: 'notes.txt', head: 'hello' },
      { file: 'empty.json', head: '' },
      { file: 'cut.json', head: '{"workflowName": "a", "runId": ' },
      { file: 'array.json', head: '[1, 2, 3]' },
      { file: 'other.db', head: 'SQLite format 3\u0000' + '\u0000'.repeat(100) },
    ];
    for (const adapter of FOREIGN_ADAPTERS) for (const s of samples) expect([adapter.format, s.file, adapter.detect(s)]).toEqual([adapter.format, s.file, false]);
  });

  it('a file cut at 64 KB is still recognised from the keys it shows', () => {
    const mastra = FOREIGN_ADAPTERS.find((a) => a.format === 'mastra')!;
    const head = '[{"workflowName": "w", "runId": "r", "createdAt": "2026-01-01T00:00:00Z", "snapshot": {"context": {"input": {"blob": "' + 'x'.repeat(100);
    expect(mastra.detect({ file: write('cut.json', head), head })).toBe(true);
  });

  it('a SQLite file given by its 100-byte header alone is Mastra only when it has the Mastra table', () => {
    const mastra = FOREIGN_ADAPTERS.find((a) => a.format === 'mastra')!;
    const db = fixture('mastra', '1x-mastra.db');
    expect(mastra.detect({ file: db, head: sample(db).head.slice(0, 100) })).toBe(true);
    const other = write('other.db', '');
    new Database(other).exec('CREATE TABLE notes (x)').close();
    expect(mastra.detect({ file: other, head: sample(other).head.slice(0, 100) })).toBe(false);
    expect(mastra.detect(sample(other))).toBe(false);
  });
});
