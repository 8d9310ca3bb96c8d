// Entry point, kept to a few hundred bytes: in browser mode it asks for the window's first answers (the history's
// first page, the workflows) before anything else, so they travel while the app's code (boot.tsx and a megabyte
// more) loads and runs, as React Router's loaders or Relay's preloaded queries do; the stores' first calls take
// them (httpCall.ts askEarly). The desktop app's window has no token and asks nothing here.
import { askEarly } from './transport/httpCall';
import { FIRST_CALLS } from './transport/firstCalls';
import { peekToken } from './transport/token';

const token = peekToken(window.location, window.sessionStorage);
if (token) askEarly(token, FIRST_CALLS);
import('./boot').catch((err: unknown) => {
  // Nothing of the app loaded (a chunk missing from the build, a server gone): say so rather than stay blank.
  document.getElementById('root')!.textContent = `Snapshot Studio could not load its code: ${(err as Error).message}`;
});
