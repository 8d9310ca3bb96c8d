// `worker`: a long-running process that drives every run that needs a driver — left by a process that died (its
// lease expired), detached by `run --detach` or `resume --detach`, a durable sleep or retry come due — claiming each
// by lease, so several workers on several hosts share the runs of one database and never drive one twice.
import type { WorkerSkip } from '../../core/runs/lifecycle';
import { UsageError } from '../args';
import { stringOption, type Command } from '../command';
import { parseInterval } from '../follow';

export const worker: Command = {
  usage: 'worker [--concurrency N] [--interval 1s]',
  summary: 'drive the runs that need a driver (left by a dead process, detached, due), until stopped; share them with other workers',
  options: { concurrency: { type: 'string' }, interval: { type: 'string' } },
  optionsHelp: `  --concurrency N      runs driven at once by this worker (default 4)
  --interval DURATION  how often to look for runs to take (default 1s; e.g. 500ms, 2s)`,
  positionals: [0, 0],
  async run(ctx) {
    const concurrencyText = stringOption(ctx, 'concurrency') ?? '4';
    if (!/^\d+$/.test(concurrencyText) || Number(concurrencyText) < 1 || Number(concurrencyText) > 256) {
      throw new UsageError(`--concurrency must be a whole number from 1 to 256, got ${JSON.stringify(concurrencyText)}`);
    }
    const concurrency = Number(concurrencyText);
    const intervalMs = parseInterval(stringOption(ctx, 'interval') ?? '1s');
    const service = await ctx.service();
    // Read-only, nothing could be driven: refused at once, rather than on every turn.
    await service.driveNext(0, 0, new Map());
    let stopping = false;
    let wake: () => void = () => undefined;
    const stop = () => {
      stopping = true;
      wake();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.stderr.write(`worker ${process.pid}: driving up to ${concurrency} run(s) at once from ${service.store.location}\n`);
    // Runs skipped for now (waiting for a signal, or a timer not yet due), until when.
    const skip = new Map<string, WorkerSkip>();
    while (!stopping) {
      const count = service.drivingCount();
      if (count < concurrency) {
        try {
          const taken = await service.driveNext(concurrency - count, intervalMs * 2, skip);
          for (const id of taken) process.stderr.write(`worker ${process.pid}: driving run ${id}\n`);
        } catch (err) {
          // The database away for a moment: the next turn tries again.
          process.stderr.write(`worker ${process.pid}: ${(err as Error).message}\n`);
        }
      }
      // The next turn comes after the interval, or as soon as one of the runs stops when all slots are taken.
      await new Promise<void>((done) => {
        const timer = setTimeout(done, intervalMs);
        wake = () => {
          clearTimeout(timer);
          done();
        };
        if (service.drivingCount() >= concurrency) void service.anyStopped().then(() => wake());
      });
    }
    // Stopped: the runs in flight are left as their last snapshot left them, their leases given back, for other workers.
    process.stderr.write(`worker ${process.pid}: stopping; runs in flight are handed back\n`);
    await service.close();
    return 0;
  },
};
