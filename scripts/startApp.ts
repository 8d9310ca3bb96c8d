// The steps of `npm start`, each a function that returns an outcome instead of exiting, so the decisions
// (binary missing → point to browser mode; binding already built → skip) are unit-tested.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { NATIVE_BINDING_ENV } from '../src-main/electron/nativeBindingPath';
import { ensureElectronBinary, findElectronPackage, type BinaryCheck } from './electronBinary';
import {
  buildNativeBinding,
  findNodeGyp,
  installedBetterSqliteVersion,
  planNativeBuild,
  type NativeBuildOutcome,
  type NativeBuildPlan,
  type NativeBuildTarget,
} from './nativeBuild';

export interface StartSteps {
  electron(): { version: string; check: BinaryCheck };
  nativeTarget(electronVersion: string): NativeBuildTarget;
  plan(target: NativeBuildTarget): NativeBuildPlan;
  build(target: NativeBuildTarget): Promise<NativeBuildOutcome>;
  bundle(): number;
  launch(binary: string, env: Record<string, string>): Promise<number>;
  log(line: string): void;
  error(line: string): void;
}

/** Runs the four steps in order and returns the exit code `npm start` should end with. */
export async function runStart(steps: StartSteps): Promise<number> {
  const { version, check } = steps.electron();
  if (!check.ok) {
    steps.error(check.message);
    return 1;
  }

  const target = steps.nativeTarget(version);
  const plan = steps.plan(target);
  let bindingPath = plan.bindingPath;
  if (plan.action === 'skip') {
    steps.log(`better-sqlite3 for Electron: ${plan.reason} (${plan.bindingPath})`);
  } else {
    steps.log(`better-sqlite3 for Electron: ${plan.reason}`);
    const built = await steps.build(target);
    if (!built.ok) {
      steps.error(built.message);
      return 1;
    }
    bindingPath = built.bindingPath;
  }

  const bundled = steps.bundle();
  if (bundled !== 0) {
    steps.error(`electron-vite build failed (exit code ${bundled}); see its output above.`);
    return bundled || 1;
  }

  return steps.launch(check.path, { [NATIVE_BINDING_ENV]: bindingPath });
}

/** The real steps for the project at projectRoot; `appArgs` go to the app (e.g. --workspace DIR). */
export function realStartSteps(projectRoot: string, appArgs: readonly string[]): StartSteps {
  return {
    electron() {
      const pkg = findElectronPackage(projectRoot);
      return { version: pkg.version, check: ensureElectronBinary({ electronDir: pkg.dir }) };
    },
    nativeTarget(electronVersion) {
      return {
        projectRoot,
        electronVersion,
        betterSqliteVersion: installedBetterSqliteVersion(projectRoot),
        platform: process.platform,
        arch: process.arch,
      };
    },
    plan: (target) => planNativeBuild(target),
    async build(target) {
      const nodeGyp = findNodeGyp({ env: process.env, projectRoot });
      if (!nodeGyp) {
        return { ok: false, message: 'Could not compile better-sqlite3 for Electron: node-gyp was not found (looked beside npm and in node_modules).' };
      }
      return buildNativeBinding(target, nodeGyp, (line) => console.log(line));
    },
    bundle() {
      const cli = join(projectRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
      const result = spawnSync(process.execPath, [cli, 'build'], { cwd: projectRoot, stdio: 'inherit' });
      return result.status ?? 1;
    },
    launch(binary, extraEnv) {
      const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
      delete env.ELECTRON_RUN_AS_NODE; // would turn Electron into plain Node
      // npm runs scripts from the project root; INIT_CWD is where the person typed `npm start`, so a
      // relative `--workspace DIR` means what they meant.
      const cwd = process.env.INIT_CWD || process.cwd();
      const child = spawn(binary, [projectRoot, ...appArgs], { cwd, stdio: 'inherit', env });
      const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
      const onInt = forward('SIGINT');
      const onTerm = forward('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      return new Promise<number>((resolvePromise) => {
        child.on('error', (err) => {
          console.error(`could not start Electron (${binary}): ${err.message}`);
          resolvePromise(1);
        });
        child.on('exit', (code, signal) => {
          process.off('SIGINT', onInt);
          process.off('SIGTERM', onTerm);
          resolvePromise(code ?? (signal ? 1 : 0));
        });
      });
    },
    log: (line) => console.log(line),
    error: (line) => console.error(line),
  };
}
