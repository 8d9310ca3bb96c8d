#!/usr/bin/env node
// The `snapshot-studio` command: runs the built CLI (out/cli/main.mjs), building it first when it is missing or
// older than the sources (a fresh clone, an edit), so no TypeScript is compiled on an ordinary call.
import { buildCli, builtCli, cliIsStale } from '../../scripts/buildCli.mjs';

if (cliIsStale()) await buildCli();
await import(builtCli);
