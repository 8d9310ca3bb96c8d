// `serve`: the app to a browser on 127.0.0.1, with a token; runs left unfinished continue.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { appRoot } from '../appRoot';
import { UsageError } from '../args';
import { stringOption, type Command } from '../command';

export const serve: Command = {
  usage: 'serve [--port N]',
  summary: 'serve the app to a browser on 127.0.0.1, with a token',
  options: { port: { type: 'string' } },
  optionsHelp: '  --port N         port on 127.0.0.1 (0, the default, picks a free one)',
  positionals: [0, 0],
  workspace: true,
  async run(ctx) {
    const portText = stringOption(ctx, 'port') ?? '0';
    if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, got ${JSON.stringify(portText)}`);
    const rendererDir = resolve(appRoot, 'out/renderer');
    if (!existsSync(resolve(rendererDir, 'index.html'))) {
      throw new UsageError(`the renderer is not built (${rendererDir} has no index.html): run npm run build, or use npm run serve, which builds first`);
    }
    // The server and the studio's long-lived parts are loaded by this command alone, not by every CLI start.
    const [{ openStudio }, { startStudioServer }] = await Promise.all([import('../../core/openStudio'), import('../../server/server')]);
    // Runs left unfinished by a process that died continue from their last snapshot; saved workflow files become new versions.
    const { service, recovered } = await openStudio({ ...ctx.openOptions(), watch: true, recover: true });
    const server = await startStudioServer({ service, rendererDir, port: Number(portText) }).catch(async (err: unknown) => {
      await service.close();
      throw err;
    });
    // Listened for before the ready line: a stop sent as soon as it is read ends the server, not the process.
    const stopped = new Promise<void>((done) => {
      process.once('SIGINT', () => done());
      process.once('SIGTERM', () => done());
    });
    process.stdout.write(`Snapshot Studio ready at ${server.url}\n`);
    const continued = await recovered;
    if (continued.length) process.stderr.write(`continued ${continued.length} unfinished run(s): ${continued.join(', ')}\n`);
    await stopped;
    await server.close();
    // Runs still in flight stay as their last snapshot left them and continue at the next start.
    process.exit(0);
  },
};
