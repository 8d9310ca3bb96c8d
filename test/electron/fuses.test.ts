// The Electron fuses the packaged app is built with (src-main/electron/fuses.ts, flipped by scripts/flipFuses.mjs):
// the binary cannot be turned into a plain Node, inspected from the command line, or made to load code from
// outside its checked app.asar.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FuseState, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { studioFuses } from '../../src-main/electron/fuses';
import { repoRoot, tempDir } from '../support/tmp';

/** A stand-in for an Electron binary: some bytes, the fuse sentinel, a V1 wire of nine fuses all on, more bytes. */
function fakeElectronBinary(path: string): void {
  const wire = Buffer.from([1, 9, ...Array(9).fill(FuseState.ENABLE)]);
  writeFileSync(path, Buffer.concat([Buffer.alloc(4096, 7), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), wire, Buffer.alloc(4096, 7)]));
}

describe('the fuses set at packaging', () => {
  it('turn off running as Node and the Node inspector arguments', () => {
    expect(studioFuses.version).toBe(FuseVersion.V1);
    expect(studioFuses[FuseV1Options.RunAsNode]).toBe(false);
    expect(studioFuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
  });

  it('turn on cookie encryption, loading the app only from app.asar, and checking that archive', () => {
    expect(studioFuses[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(studioFuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(studioFuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
  });

  it('also close NODE_OPTIONS and the extra privileges of file://, which the app:// page does not need', () => {
    expect(studioFuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(studioFuses[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
  });
});

describe('scripts/flipFuses.mjs, the packaging step', () => {
  it('flips exactly these fuses in the binary it is given, and leaves the rest of the file alone', async () => {
    const binary = join(tempDir('studio-fuses-'), 'snapshot-studio');
    fakeElectronBinary(binary);
    const before = readFileSync(binary);
    execFileSync(process.execPath, [join(repoRoot, 'scripts/flipFuses.mjs'), binary], { cwd: repoRoot, stdio: 'pipe' });
    const wire = await getCurrentFuseWire(binary);
    const on = (fuse: FuseV1Options) => wire[fuse] === FuseState.ENABLE;
    expect(on(FuseV1Options.RunAsNode)).toBe(false);
    expect(on(FuseV1Options.EnableNodeCliInspectArguments)).toBe(false);
    expect(on(FuseV1Options.EnableCookieEncryption)).toBe(true);
    expect(on(FuseV1Options.OnlyLoadAppFromAsar)).toBe(true);
    expect(on(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(true);
    expect(on(FuseV1Options.LoadBrowserProcessSpecificV8Snapshot)).toBe(true); // not ours to set: left as it was
    const after = readFileSync(binary);
    expect(after.length).toBe(before.length);
    expect(after.subarray(0, 4096).equals(before.subarray(0, 4096))).toBe(true);
  });

  it('refuses to run without a binary', () => {
    expect(() => execFileSync(process.execPath, [join(repoRoot, 'scripts/flipFuses.mjs')], { cwd: repoRoot, stdio: 'pipe' })).toThrow(/usage/);
  });
});
