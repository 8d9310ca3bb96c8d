// Loads Monaco the first time an editor is shown, so the app opens without it.
import { useEffect, useState } from 'react';

type MonacoModule = typeof import('./monacoSetup');
let loading: Promise<MonacoModule> | null = null;

export function loadMonaco(): Promise<MonacoModule> {
  loading ??= import('./monacoSetup');
  return loading;
}

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
