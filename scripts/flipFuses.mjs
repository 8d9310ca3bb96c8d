#!/usr/bin/env node
// Packaging step: flips Snapshot Studio's fuses (src-main/electron/fuses.ts) in a packaged Electron binary, then
// prints the binary's fuse wire. Usage: node scripts/flipFuses.mjs <path to the packaged Electron executable>
// Run it on the copy inside the package (for example dist/Snapshot Studio.app or dist/linux-unpacked/snapshot-studio),
// after app.asar is in place and before signing.
import { flipFuses, getCurrentFuseWire } from '@electron/fuses';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { tsImport } from 'tsx/esm/api';

const [binary] = process.argv.slice(2);
if (!binary || !existsSync(binary)) {
  console.error('usage: node scripts/flipFuses.mjs <path to the packaged Electron executable>');
  process.exit(2);
}
const { studioFuses } = await tsImport('../src-main/electron/fuses.ts', import.meta.url);
// On Apple Silicon a changed binary must be signed again before it runs; an ad-hoc signature is reset here and the
// real one comes with code signing.
await flipFuses(resolve(binary), { ...studioFuses, resetAdHocDarwinSignature: process.platform === 'darwin' && process.arch === 'arm64' });
console.log(JSON.stringify(await getCurrentFuseWire(resolve(binary)), null, 2));
