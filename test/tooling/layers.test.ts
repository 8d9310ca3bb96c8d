// The layers are the lint's to enforce: a file that imports across them fails `npm run lint`. Each fixture in
// test/fixtures/layers is linted as if it sat where its first line says, with the project's own eslint.config.js.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = join(repoRoot, 'test/fixtures/layers');
const eslint = new ESLint({ cwd: repoRoot });

/** The layer problems ESLint reports for a fixture placed at the path its first line names. */
async function layerProblems(fixture: string): Promise<string[]> {
  const text = readFileSync(join(fixtures, fixture), 'utf8');
  const at = /^\/\/ as: (\S+)/.exec(text)?.[1];
  if (!at) throw new Error(`${fixture} does not say where it sits ("// as: <path>" on its first line)`);
  const [result] = await eslint.lintText(text, { filePath: join(repoRoot, at) });
  expect(result.messages.filter((m) => m.ruleId !== 'no-restricted-imports')).toEqual([]);
  return result.messages.map((m) => m.message);
}

describe('layers the lint enforces', () => {
  it('refuses a renderer file that imports node:fs', async () => {
    expect(await layerProblems('rendererReadsFile.ts')).toEqual([expect.stringContaining('The window runs in a browser')]);
  });

  it('refuses a renderer file that imports the core, even for a type', async () => {
    expect(await layerProblems('rendererImportsCore.ts')).toEqual([expect.stringContaining('The window imports only the shared contract')]);
  });

  it('sends a renderer file that reaches the contract by a relative path to @shared/…', async () => {
    expect(await layerProblems('rendererReachesSharedByPath.ts')).toEqual([expect.stringContaining('@shared/')]);
  });

  it('refuses a core file that imports the server or Electron', async () => {
    expect(await layerProblems('coreImportsServer.ts')).toEqual([expect.stringContaining('The core knows nothing of its shells')]);
    expect(await layerProblems('coreImportsElectron.ts')).toEqual([expect.stringContaining('Electron belongs to the shell')]);
  });

  it('refuses a shared file that imports the core or Node', async () => {
    expect(await layerProblems('sharedImportsCore.ts')).toEqual([expect.stringContaining('imports nothing but itself and pure packages')]);
    expect(await layerProblems('sharedImportsNode.ts')).toEqual([expect.stringContaining('only pure packages')]);
  });

  it('lets files that keep to their layer pass', async () => {
    for (const clean of ['rendererClean.ts', 'coreClean.ts', 'sharedClean.ts']) expect(await layerProblems(clean), clean).toEqual([]);
  });

  it('has a case for every fixture', () => {
    expect(readdirSync(fixtures).filter((f) => f.endsWith('.ts')).length).toBe(10);
  });
});
