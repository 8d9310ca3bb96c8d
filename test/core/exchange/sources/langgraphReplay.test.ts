// replay of a LangGraph thread against the person's local graph, as a person runs it from the command line:
// the recording is a real SqliteSaver file, the graph a module of theirs run with its own @langchain/langgraph.
// Unchanged, it says identical; changed, it names the first divergence; a node named --recorded returns what
// it wrote in the recording; the replay is stored linked to the recording.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../../../src-main/core/store/store';
import { continueThread, THREADS, withSqliteSaver, writeThreads } from '../../../fixtures/langgraph/generate';
import { cliIn, stderrBesidesProgress } from '../../../support/cli';
import { repoRoot, tempDir } from '../../../support/tmp';

const dir = tempDir('studio-lg-replay-');
const source = join(dir, 'prod.db');
const db = join(dir, 'studio.db');
const graphs = join(repoRoot, 'test/fixtures/langgraph/localGraphs.ts');
const cli = cliIn(dir);
const replay = (thread: string, graph: string, ...more: string[]) => cli('replay', source, '--thread', thread, '--graph', `${graphs}#${graph}`, '--db', db, '--json', ...more);

beforeAll(async () => {
  await withSqliteSaver(source, async (saver) => {
    await writeThreads(saver);
    await continueThread(saver, 'two-inputs', 'otters');
    await continueThread(saver, 'two-inputs', 'beavers');
  });
});

describe('replay SOURCE --thread ID --graph FILE#export', () => {
  it('says identical for the unchanged graph, and stores the replay as a run linked to the recording', () => {
    const r = replay(THREADS.linear, 'linear');
    expect(stderrBesidesProgress(r.stderr)).toEqual([]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ outcome: 'identical', recordedRunId: `langgraph-${THREADS.linear}`, compared: 4 });
    const store = Store.open(db);
    try {
      const stored = store.sync.read.getRunSummary(report.replayRunId);
      expect(stored).toMatchObject({ origin: 'replay', replayOf: `langgraph-${THREADS.linear}`, workflowId: THREADS.linear });
      expect(store.sync.read.latestSnapshot(report.replayRunId)!.state).toEqual(store.sync.read.latestSnapshot(`langgraph-${THREADS.linear}`)!.state);
    } finally {
      store.close();
    }
  });

  it('names the first divergence of a changed graph: superstep, node, JSON path, recorded and replayed values (exit 1)', () => {
    const r = replay(THREADS.linear, 'linearWordsChanged');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).divergence).toEqual({ superstep: 2, nodes: ['write'], path: '/state/words', recorded: 3, replayed: 6 });
  });

  it('runs a node named --recorded with its recorded writes, so its change does not count', () => {
    expect(JSON.parse(replay(THREADS.linear, 'linearResearchChanged').stdout).divergence).toMatchObject({ nodes: ['research'], path: '/state/notes/0', replayed: 'new facts about otters' });
    const r = replay(THREADS.linear, 'linearResearchChanged', '--recorded', 'research');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).outcome).toBe('identical');
  });

  it('gives the interrupted node the resume payload the recording received', () => {
    const r = replay(THREADS.reviewed, 'review');
    expect(stderrBesidesProgress(r.stderr)).toEqual([]);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'identical', compared: 5 });
  });

  it('gives a thread that went on its later input too', () => {
    const r = replay('two-inputs', 'linear');
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'identical', compared: 8 });
  });

  it('refuses a module export that is not a compiled graph, naming what the module exports (exit 2)', () => {
    const r = cli('replay', source, '--thread', THREADS.linear, '--graph', `${graphs}#notAGraph`, '--db', db);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/its export "notAGraph" is not a compiled LangGraph graph; it exports .*linear.*notAGraph/);
    const several = cli('replay', source, '--thread', THREADS.linear, '--graph', graphs, '--db', db);
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/it exports several compiled graphs \(linear, linearResearchChanged, linearWordsChanged, review\): name one with #/);
  });
});
