// Keeps the open views current: core's events while this window is connected, and a cheap refresh when
// the window is shown again, for runs started elsewhere (e.g. the CLI in another process sends no events here).
import { useEffect } from 'react';
import type { StudioEvent } from '@shared/api';
import { studio } from '../../lib/studio';
import { useExchange } from '../exchange/exchangeStore';
import { useRuns } from '../runs/runsStore';
import { useTimeline } from '../timeline/timelineStore';
import { useRunVersion } from '../versions/runVersionStore';
import { useWorkflows } from '../workflows/workflowsStore';

export function applyEvent(event: StudioEvent): void {
  switch (event.type) {
    case 'run-updated': {
      useRuns.getState().upsert(event.run);
      // Snapshots another process wrote (a CLI run, an import that follows a source) come without snapshot-added
      // events: the open run's newer ones are read.
      const timeline = useTimeline.getState();
      if (timeline.runId === event.run.id && timeline.total > 0 && event.run.lastSeq > timeline.firstSeq + timeline.total - 1) void timeline.catchUp();
      return;
    }
    case 'snapshot-added':
      useTimeline.getState().snapshotAdded(event.runId, event.snapshot);
      return;
    case 'workflows-changed':
      void useWorkflows.getState().load();
      void useRunVersion.getState().refreshVersions();
      return;
    case 'import-progress':
      useExchange.getState().importProgress(event);
      return;
  }
}

function refreshOnShow(): void {
  if (document.visibilityState !== 'visible') return;
  void useRuns.getState().load();
  void useTimeline.getState().catchUp();
}

export function useLiveUpdates(): void {
  useEffect(() => {
    const unsubscribe = studio().subscribe(applyEvent);
    document.addEventListener('visibilitychange', refreshOnShow);
    window.addEventListener('focus', refreshOnShow);
    return () => {
      unsubscribe();
      document.removeEventListener('visibilitychange', refreshOnShow);
      window.removeEventListener('focus', refreshOnShow);
    };
  }, []);
}
