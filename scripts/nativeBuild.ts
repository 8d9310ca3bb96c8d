// Compiles a private copy of better-sqlite3 for Electron's ABI into .electron-native/<electron>/, so the
// desktop app gets a binding Electron can load while node_modules keeps the Node build `npm test` uses.
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, createWriteStream, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative, sep } from 'node:path';
import { electronNativeBindingPath, electronNativeDir } from '../src-main/electron/nativeBindingPath';

export interface NativeBuildTarget {
  projectRoot: string;
  electronVersion: string;
  betterSqliteVersion: string;
  platform: string;
  arch: string;
}

export interface BuildStamp {
  electron: string;
  betterSqlite3: string;
  platform: string;
  arch: string;
}

export type NativeBuildPlan =
  | { action: 'skip'; bindingPath: string; reason: string }
  | { action: 'build'; bindingPath: string; reason: string };

export function stampPath(projectRoot: string, electronVersion: string): string {
  return join(electronNativeDir(projectRoot, electronVersion), 'build.json');
}

/** Build unless a binding for this Electron exists and was made from the installed better-sqlite3. */
export function planNativeBuild(
  target: NativeBuildTarget,
  io: { exists(path: string): boolean; readStamp(path: string): BuildStamp | undefined } = { exists: existsSync, readStamp },
): NativeBuildPlan {
  const bindingPath = electronNativeBindingPath(target.projectRoot, target.electronVersion);
  if (!io.exists(bindingPath)) return { action: 'build', bindingPath, reason: `no binding for Electron ${target.electronVersion} yet` };
  const stamp = io.readStamp(stampPath(target.projectRoot, target.electronVersion));
  if (stamp && (stamp.betterSqlite3 !== target.betterSqliteVersion || stamp.platform !== target.platform || stamp.arch !== target.arch)) {
    return {
      action: 'build',
      bindingPath,
      reason: `the binding was built from better-sqlite3 ${stamp.betterSqlite3} (${stamp.platform}-${stamp.arch}); installed is ${target.betterSqliteVersion} (${target.platform}-${target.arch})`,
    };
  }
  return { action: 'skip', bindingPath, reason: `already built for Electron ${target.electronVersion}` };
}

function readStamp(path: string): BuildStamp | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BuildStamp;
  } catch {
    return undefined;
  }
}

/** node-gyp as npm ships it: beside the npm running `npm start`, else beside the npm on PATH, else the project's. */
export function findNodeGyp(input: { env: Readonly<Record<string, string | undefined>>; projectRoot: string; exists?: (p: string) => boolean; realpath?: (p: string) => string }): string | undefined {
  const exists = input.exists ?? existsSync;
  const realpath = input.realpath ?? realpathSync;
  const candidates: string[] = [];
  const npmFolderOf = (npmCli: string) => {
    const parts = npmCli.split(sep);
    const i = parts.lastIndexOf('npm');
    return i > 0 ? parts.slice(0, i + 1).join(sep) : undefined;
  };
  const fromExecPath = input.env.npm_execpath ? npmFolderOf(input.env.npm_execpath) : undefined;
  if (fromExecPath) candidates.push(join(fromExecPath, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  for (const dir of (input.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const npm = join(dir, 'npm');
    if (!exists(npm)) continue;
    try {
      const folder = npmFolderOf(realpath(npm));
      if (folder) candidates.push(join(folder, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
    } catch {
      // a broken link on PATH: try the next one
    }
    break;
  }
  candidates.push(join(input.projectRoot, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((c) => exists(c));
}

export function nodeGypArguments(electronVersion: string, arch: string): string[] {
  return [
    'rebuild',
    '--release',
    '--jobs=max',
    `--target=${electronVersion}`,
    `--arch=${arch}`,
    '--dist-url=https://electronjs.org/headers',
    '--runtime=electron',
    '--build-from-source',
  ];
}

const KEPT_NPM_CONFIG = new Set(['proxy', 'https_proxy', 'http_proxy', 'noproxy', 'cafile', 'strict_ssl']);

/** The environment for node-gyp: npm_config_* settings such as `nodedir=/usr` (Node's own headers, as
 * this workplace's .npmrc sets) would silently build against Node instead of Electron, so they go;
 * proxy and certificate settings stay so the Electron headers can still be downloaded. */
export function nodeGypEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower.startsWith('npm_config_') && !KEPT_NPM_CONFIG.has(lower.slice('npm_config_'.length).replace(/-/g, '_'))) continue;
    out[name] = value;
  }
  return out;
}

export type NativeBuildOutcome = { ok: true; bindingPath: string } | { ok: false; message: string };

/** Copies node_modules/better-sqlite3 to a temporary folder, rebuilds it there for Electron, keeps the .node. */
export async function buildNativeBinding(target: NativeBuildTarget, nodeGyp: string, log: (line: string) => void): Promise<NativeBuildOutcome> {
  // Resolve links first (pnpm, npm link): copying a link would point node-gyp, whose `rebuild` starts by
  // deleting build/, straight back at the Node build `npm test` needs.
  const source = realpathSync(join(target.projectRoot, 'node_modules', 'better-sqlite3'));
  const outDir = electronNativeDir(target.projectRoot, target.electronVersion);
  mkdirSync(outDir, { recursive: true });
  const logFile = join(outDir, 'build.log');
  const work = mkdtempSync(join(tmpdir(), 'snapshot-studio-better-sqlite3-'));
  const copy = join(work, 'better-sqlite3');
  try {
    // The Node build in node_modules/better-sqlite3/build stays untouched: it is not copied, not rebuilt.
    cpSync(source, copy, { recursive: true, dereference: true, filter: (p) => relative(source, p).split(sep)[0] !== 'build' });
    if (lstatSync(copy).isSymbolicLink() || !realpathSync(copy).startsWith(realpathSync(work) + sep)) {
      return { ok: false, message: `Could not compile better-sqlite3 for Electron: the private copy at ${copy} is not a plain folder; nothing was built.` };
    }
    log(`compiling better-sqlite3 ${target.betterSqliteVersion} for Electron ${target.electronVersion} (once per Electron version; takes a few minutes)…`);
    const code = await new Promise<number>((resolvePromise) => {
      const out = createWriteStream(logFile);
      const child = spawn(process.execPath, [nodeGyp, ...nodeGypArguments(target.electronVersion, target.arch)], {
        cwd: copy,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: nodeGypEnv(process.env),
      });
      child.stdout.pipe(out, { end: false });
      child.stderr.pipe(out, { end: false });
      child.on('error', (err) => {
        out.end(`\n${err.stack ?? err.message}\n`);
        resolvePromise(-1);
      });
      child.on('close', (status) => {
        out.end();
        resolvePromise(status ?? -1);
      });
    });
    const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
    if (code !== 0 || !existsSync(built)) {
      const tail = existsSync(logFile) ? summarizeBuildLog(readFileSync(logFile, 'utf8')) : '';
      return {
        ok: false,
        message: `Could not compile better-sqlite3 for Electron ${target.electronVersion}: node-gyp ${code === 0 ? 'produced no better_sqlite3.node' : `exited with code ${code}`}.\n${tail}\nFull log: ${logFile}`,
      };
    }
    const bindingPath = electronNativeBindingPath(target.projectRoot, target.electronVersion);
    copyFileSync(built, bindingPath);
    const stamp: BuildStamp = { electron: target.electronVersion, betterSqlite3: target.betterSqliteVersion, platform: target.platform, arch: target.arch };
    writeFileSync(stampPath(target.projectRoot, target.electronVersion), `${JSON.stringify(stamp, null, 2)}\n`);
    return { ok: true, bindingPath };
  } catch (err) {
    return { ok: false, message: `Could not compile better-sqlite3 for Electron ${target.electronVersion}: ${(err as Error).message}` };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The lines of a node-gyp log that say what went wrong: header downloads, gyp errors, compiler errors. */
export function summarizeBuildLog(log: string): string {
  const lines = log.split('\n').map((l) => l.trimEnd());
  const telling = lines.filter((l) => /^gyp http GET|^gyp ERR! (configure|build) error|^gyp ERR! stack (Error|is related)|: error:|\berror:/.test(l));
  return (telling.length > 0 ? telling : lines.filter(Boolean).slice(-15)).slice(0, 12).join('\n');
}

export function installedBetterSqliteVersion(projectRoot: string): string {
  const manifest = join(projectRoot, 'node_modules', 'better-sqlite3', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
