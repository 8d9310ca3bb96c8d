// The Electron fuses the packaged app is built with: switches compiled into the Electron binary that no argument or
// environment variable can turn back. Flipped by scripts/flipFuses.mjs on the packaged binary, never at run time.
import { FuseV1Options, FuseVersion, type FuseV1Config } from '@electron/fuses';

export const studioFuses = {
  version: FuseVersion.V1,
  // ELECTRON_RUN_AS_NODE would turn the signed app into a Node interpreter for any script.
  [FuseV1Options.RunAsNode]: false,
  // --inspect and friends would let anyone who can start the app attach a debugger to the main process.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // NODE_OPTIONS would let the environment preload code into the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // Cookies and other session data encrypted at rest with the OS keychain.
  [FuseV1Options.EnableCookieEncryption]: true,
  // The app's code comes only from app.asar, and that archive must match the hash embedded at packaging.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // The page loads from app://, so file:// needs none of its legacy privileges.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
} satisfies FuseV1Config;
