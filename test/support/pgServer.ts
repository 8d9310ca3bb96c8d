// A real PostgreSQL server for the test run: initdb into a temporary folder, a free port, its unix socket in
// that folder, started once by vitest's globalSetup (startPgServer) and stopped at the end. Each test file
// that runs against PostgreSQL gets a fresh database of its own (providers.ts). Debian's server binaries
// are used (/usr/lib/postgresql/<version>/bin); when they are missing the Postgres suites are skipped with
// the reason printed, except in CI (CI=true), where that is a failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The bin folder of the newest PostgreSQL server installed the Debian way, if any. */
function serverBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], 'bin') : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface PgServer {
  url: string;
  stop(): void;
}

/** Starts a server; throws with the reason when it cannot. */
export async function startPgServer(): Promise<PgServer> {
  const bin = serverBinaries();
  if (!bin) throw new Error('no PostgreSQL server binaries (/usr/lib/postgresql/<version>/bin/initdb): install Debian\'s postgresql package');
  const dir = mkdtempSync(join(tmpdir(), 'studio-pg-'));
  const data = join(dir, 'data');
  // The server refuses to run as root: as root, it runs as the postgres user, which must own the folder.
  const asRoot = process.getuid?.() === 0;
  const as = (cmd: string, args: string[]) => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]) as [string, string[]];
  if (asRoot) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const port = await freePort();
  execFileSync(...as(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '-N']), { stdio: 'ignore' });
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  execFileSync(...as(join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start']), { stdio: 'ignore' });
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      spawnSync(...as(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']), { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  const [uid, gid] = execFileSync('id', ['-u', 'postgres']).toString().trim().split('\n').concat(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid: Number(uid), gid: Number(gid) };
}

/** globalSetup: one server for the whole run, its URL provided to the test files. */
export default async function setup({ provide }: { provide: (key: 'pgUrl' | 'pgSkipReason', value: string) => void }): Promise<() => void> {
  let server: PgServer;
  try {
    server = await startPgServer();
  } catch (err) {
    const reason = (err as Error).message;
    if (process.env.CI === 'true') throw new Error(`PostgreSQL is needed in CI: ${reason}`, { cause: err });
    process.stderr.write(`pgServer: the PostgreSQL suites are skipped: ${reason}\n`);
    provide('pgUrl', '');
    provide('pgSkipReason', reason);
    return () => undefined;
  }
  provide('pgUrl', server.url);
  provide('pgSkipReason', '');
  return () => server.stop();
}
