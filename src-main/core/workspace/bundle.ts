// Bundles one workflow file (and its relative imports and workspace packages) into a single CommonJS
// module with esbuild. `snapshot-studio/sdk` becomes a tiny runtime; `zod` stays external and is the
// app's own copy, so config schemas can be turned into JSON Schema by the same zod that made them.
import type { Message, Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { contentHash } from '../store/snapshotCodec';

// Must match the runtime behaviour of src-main/sdk/index.ts; test/core/engine/runDriver.test.ts runs workflows that
// use both exports (defineWorkflow, and NonRetryableError failing a step at once).
const requireHere = createRequire(import.meta.url);

export const SDK_RUNTIME = `export function defineWorkflow(definition) { return definition; }
export class NonRetryableError extends Error {
  constructor(message) { super(message); this.name = 'NonRetryableError'; this.retryable = false; }
}
`;

const sdkPlugin: Plugin = {
  name: 'snapshot-studio-sdk',
  setup(b) {
    b.onResolve({ filter: /^snapshot-studio\/sdk$/ }, () => ({ path: 'sdk', namespace: 'snapshot-studio' }));
    b.onLoad({ filter: /.*/, namespace: 'snapshot-studio' }, () => ({ contents: SDK_RUNTIME, loader: 'js' }));
  },
};

export interface BundledWorkflow {
  file: string;
  source: string;
  bundle: string;
  /** The workflow version: a content hash of the bundle. */
  version: string;
}

export class BundleError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

export async function bundleWorkflowFile(file: string, workspaceDir: string): Promise<BundledWorkflow> {
  const source = readFileSync(file, 'utf8');
  try {
    // Loaded when a file is bundled, not by every command; required, not imported: import() of a CommonJS package
    // first parses all of it for its export names, which for esbuild's costs a command that bundles ~40 ms or more.
    const { build } = requireHere('esbuild') as typeof import('esbuild');
    const result = await build({
      entryPoints: [file],
      absWorkingDir: workspaceDir,
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      external: ['zod', 'zod/*'],
      plugins: [sdkPlugin],
      logLevel: 'silent',
      legalComments: 'none',
      // Inline, so a stored version maps its stacks too (stackTrace.ts); the source is stored beside it.
      sourcemap: 'inline',
      sourcesContent: false,
    });
    const bundle = result.outputFiles[0].text;
    return { file, source, bundle, version: contentHash(bundle).slice(0, 16) };
  } catch (err) {
    const first = (err as { errors?: Message[] }).errors?.[0];
    if (first) {
      const loc = first.location;
      const where = loc ? `${loc.file}:${loc.line}:${loc.column + 1}` : relative(workspaceDir, file);
      throw new BundleError(loc?.file ?? relative(workspaceDir, file), loc?.line, loc ? loc.column + 1 : undefined, `${where}: ${first.text}`);
    }
    throw err;
  }
}
