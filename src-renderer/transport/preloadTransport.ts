// The Electron transport: the preload exposes a ready StudioClient as window.studio. Electron's context
// bridge keeps only an Error's message, so the preload leads it with the code ("E_BAD_ARGUMENT: …");
// this turns it back into an ApiCallError with a code, as the HTTP transport gives.
import type { StudioClient } from '@shared/api';
import { ApiCallError } from './httpTransport';

declare global {
  interface Window {
    studio?: StudioClient;
  }
}

const CODED = /^(E_[A-Z0-9_]+): ([\s\S]*)$/;

function withCodes<F extends (...args: never[]) => Promise<unknown>>(fn: F): F {
  return (async (...args: Parameters<F>) => {
    try {
      return await fn(...args);
    } catch (err) {
      const m = CODED.exec((err as Error | undefined)?.message ?? '');
      throw m ? new ApiCallError(m[1], m[2]) : err;
    }
  }) as F;
}

export function preloadClient(win: Window): StudioClient | null {
  const bridge = win.studio;
  if (!bridge) return null;
  const client = { subscribe: bridge.subscribe.bind(bridge) } as StudioClient;
  for (const [name, value] of Object.entries(bridge)) {
    // Subscriptions answer at once with their unsubscribe; the rest are calls that may fail with a code.
    if (name === 'onOpenDatabaseAsked' && typeof value === 'function') (client as unknown as Record<string, unknown>)[name] = value.bind(bridge);
    else if (name !== 'subscribe' && typeof value === 'function') (client as unknown as Record<string, unknown>)[name] = withCodes(value.bind(bridge));
  }
  return client;
}
