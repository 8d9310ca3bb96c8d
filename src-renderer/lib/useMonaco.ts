// Loads Monaco the first time an editor is shown, so the app opens without it.
import { useEffect, useState } from 'react';

type MonacoModule = typeof import('./monacoSetup');
/** Monaco, imported once: the first call starts the import, every later one gets the same promise. */
export const loadMonaco: () => Promise<MonacoModule> = (() => {
  let loading: Promise<MonacoModule> | null = null;
  return () => (loading ??= import('./monacoSetup'));
})();

export function useMonaco(): MonacoModule | null {
  const [mod, setMod] = useState<MonacoModule | null>(null);
  useEffect(() => {
    let alive = true;
    void loadMonaco().then((m) => alive && setMod(m));
    return () => {
      alive = false;
    };
  }, []);
  return mod;
}
