// Long synchronous stretches of an import (building a foreign file's runs, staging them) run on the thread
// that also serves requests (`serve`, the window's API calls): they give it a turn every so often.

/** Call between items of a long loop: resolves at once, or after one turn of the event loop when `everyMs` have passed since the last. */
export function breather(everyMs = 50): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < everyMs) return;
    await new Promise<void>((done) => setImmediate(done));
    last = performance.now();
  };
}
