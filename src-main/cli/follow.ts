// `import --follow SOURCE`: imports what is new in a source (a LangGraph thread's new checkpoints, new
// threads, new Mastra runs) again and again, every --interval, until stopped (Ctrl-C, SIGTERM). The first
// import's refusal ends it (exit 2, as a plain import); a later failure (the production database restarting)
// is said on stderr and the next round tries again.
import type { ImportSummary } from '../shared/api';
import { UsageError } from './args';
import { importSummaryLines } from './sources';

/** "2s", "500ms", "1m", or a number of seconds. */
export function parseInterval(text: string | undefined): number {
  if (text === undefined) return 2000;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const ms = m ? Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000) : NaN;
  if (!Number.isFinite(ms) || ms < 100 || ms > 24 * 3600_000) throw new UsageError(`--interval must be a time between 100ms and 24h, such as 2s or 500ms; got ${JSON.stringify(text)}`);
  return ms;
}

export interface FollowOptions {
  importOnce(): Promise<ImportSummary>;
  intervalMs: number;
  out(text: string): void;
  json: boolean;
  /** Stops the loop (tests); SIGINT and SIGTERM do too. */
  stop?: AbortSignal;
}

export async function followImports(options: FollowOptions): Promise<number> {
  const stopped = new AbortController();
  const stop = () => stopped.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  options.stop?.addEventListener('abort', stop);
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.intervalMs);
      stopped.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  try {
    let first = true;
    while (!stopped.signal.aborted) {
      let summary: ImportSummary;
      try {
        summary = await options.importOnce();
      } catch (err) {
        if (first) throw err;
        process.stderr.write(`snapshot-studio: import --follow: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}; trying again in ${options.intervalMs} ms\n`);
        await pause();
        continue;
      }
      if (first || summary.runs > 0 || (summary.extended ?? 0) > 0) {
        if (options.json) options.out(JSON.stringify({ at: new Date().toISOString(), ...summary }));
        else for (const line of importSummaryLines(summary)) options.out(`${new Date().toISOString()} ${line}`);
      }
      first = false;
      await pause();
    }
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
