// Watches the workspace folder: a saved workflow file (or a module it may import) reloads the workspace,
// once the saves settle.
import { watch } from 'node:fs';

/** Calls `reload` after changes to code files under `dir`, debounced; returns the function that stops watching. */
export function watchWorkspace(dir: string, reload: () => Promise<void>, debounceMs = 150): () => void {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dir, { recursive: true }, (_event, name) => {
    if (name && !/\.workflow\.(ts|js|mts|mjs|cts|cjs)$/.test(String(name)) && !/\.(ts|js|mts|mjs|json)$/.test(String(name))) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      reload().catch((err: Error) => process.stderr.write(`workspace reload failed: ${err.message}\n`));
    }, debounceMs);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
