// A second user of a shared 2-core machine, for the benchmarks that must hold their targets while one is
// there: another process keeps one core busy while a measure runs.
import { spawn } from 'node:child_process';

/** Runs `measure` while another process (a `node -e` spin loop, killed after) keeps one core busy. */
export async function whileOneCoreIsBusy<T>(measure: () => T | Promise<T>): Promise<T> {
  // It ends itself after five minutes too, so a bench killed midway leaves no process spinning on a shared machine.
  const spin = 'const end = Date.now() + 300000; process.stdout.write("spinning\\n"); while (Date.now() < end);';
  const spinner = spawn(process.execPath, ['-e', spin], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await new Promise((resolve, reject) => {
      spinner.stdout.once('data', resolve);
      spinner.once('error', reject);
    });
    return await measure();
  } finally {
    spinner.kill('SIGKILL');
  }
}
