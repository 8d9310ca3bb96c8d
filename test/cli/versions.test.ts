// `versions` tells the workspace as it is when asked: a workflow file (or a module it imports) edited since the
// last command is a new version at once, and "latest" is whichever content the file holds now, an older one too.
// Real processes through the bin (the built CLI), a real SQLite file, a workspace of its own.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliIn } from '../support/cli';
import { tempDir } from '../support/tmp';

const dir = tempDir('studio-versions-cli-');
const ws = join(dir, 'ws');
const at = ['--db', join(dir, 'versions.db'), '--workspace', ws];
const cli = cliIn(dir);

const workflowFile = join(ws, 'greet.workflow.ts');
const greetingFile = join(ws, 'greeting.ts');
const workflow = (steps: string) =>
  `import { defineWorkflow } from 'snapshot-studio/sdk';\nimport { greeting } from './greeting';\nexport default defineWorkflow({ id: 'greet', steps: { ${steps} } });\n`;
const oneStep = workflow(`hello: { run: () => greeting }`);
const twoSteps = workflow(`hello: { run: () => greeting }, bye: { needs: ['hello'], run: () => 'bye' }`);

interface Version {
  version: string;
  why: string;
  file: string;
  latest: boolean;
}

function versions(): Version[] {
  const r = cli('versions', 'greet', ...at, '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Version[];
}

const latestOf = (list: Version[]) => list.filter((v) => v.latest).map((v) => v.version);

function stepsOfGreet(): string[] {
  const r = cli('workflows', ...at, '--json');
  expect(r.code, r.stderr).toBe(0);
  const greet = (JSON.parse(r.stdout) as { workflows: { id: string; steps: { id: string }[] }[] }).workflows.find((w) => w.id === 'greet');
  return greet!.steps.map((s) => s.id);
}

beforeAll(() => {
  mkdirSync(ws, { recursive: true });
  writeFileSync(greetingFile, `export const greeting = 'hello';\n`);
  writeFileSync(workflowFile, oneStep);
});

describe('versions', () => {
  let first: string;
  let second: string;

  it('lists the workspace file as the one version, the latest, on the first call', () => {
    const list = versions();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ why: 'saved', file: 'greet.workflow.ts', latest: true });
    first = list[0].version;
  });

  it('shows the workflow file edited since the last command as a new version, the latest, with no other command between', () => {
    writeFileSync(workflowFile, twoSteps);
    const list = versions();
    expect(list).toHaveLength(2);
    second = list[0].version;
    expect(second).not.toBe(first);
    expect(latestOf(list)).toEqual([second]);
    expect(list.find((v) => v.version === first)).toMatchObject({ latest: false });
    expect(stepsOfGreet()).toEqual(['hello', 'bye']);
  });

  it('shows an edit of a module the workflow imports as a new version too', () => {
    writeFileSync(greetingFile, `export const greeting = 'bonjour';\n`);
    const list = versions();
    expect(list).toHaveLength(3);
    expect(latestOf(list)).toEqual([list[0].version]);
    expect([first, second]).not.toContain(list[0].version);
  });

  it('marks an older version the latest again when the files hold its content again, with that version’s steps', () => {
    writeFileSync(greetingFile, `export const greeting = 'hello';\n`);
    writeFileSync(workflowFile, oneStep);
    const list = versions();
    expect(list).toHaveLength(3);
    expect(latestOf(list)).toEqual([first]);
    expect(stepsOfGreet()).toEqual(['hello']);
  });

  it('has no latest while the file does not load, and names the workflow again once it does', () => {
    writeFileSync(workflowFile, `${oneStep}\nthrow new Error('half-saved');\n`);
    const list = versions();
    expect(list).toHaveLength(3);
    expect(latestOf(list)).toEqual([]);
    writeFileSync(workflowFile, twoSteps);
    expect(latestOf(versions())).toEqual([second]);
  });
});
