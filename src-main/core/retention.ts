// Retention: a stored setting (keep all, the default; the last N snapshots per run; newer than a date or
// N days), applied on request (prune) and to each run as it finishes. Nothing is thrown away by default.
import type { PruneReport, RetentionPolicy, RetentionSetting } from '../shared/api';
import type { Json } from '../shared/snapshot';
import type { SnapshotStore } from './store/contract';

/** "Older than N days" becomes a date, now. */
export function resolveRetention(setting: RetentionSetting): RetentionPolicy {
  if (setting.keep !== 'days') return setting;
  return { keep: 'newer', before: new Date(Date.now() - setting.days * 86_400_000).toISOString() };
}

export async function getRetention(store: SnapshotStore): Promise<RetentionSetting> {
  return ((await store.read.getSetting('retention')) as RetentionSetting | undefined) ?? { keep: 'all' };
}

export async function setRetention(store: SnapshotStore, setting: RetentionSetting): Promise<RetentionSetting> {
  await store.write.setSetting('retention', setting as unknown as Json);
  return setting;
}

/** Prunes every run by `policy`, or by the stored setting. */
export async function prune(store: SnapshotStore, policy?: RetentionSetting): Promise<PruneReport> {
  return store.write.prune(resolveRetention(policy ?? (await getRetention(store))));
}

/** Prunes a run that just finished by the stored setting (keep all prunes nothing). */
export async function applyRetention(store: SnapshotStore, runId: string): Promise<void> {
  if (!store.isOpen) return;
  const setting = await getRetention(store);
  if (setting.keep !== 'all') await store.write.prune(resolveRetention(setting), [runId]);
}
