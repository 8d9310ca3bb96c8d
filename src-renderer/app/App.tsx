// The window: toolbar and banners on top, then Runs · Timeline · (Inspector over Diff), DevTools-style.
import { useEffect } from 'react';
import { DiffPanel } from '../features/diff/DiffPanel';
import { ErrorBar } from '../features/errors/ErrorBar';
import { InspectorPanel } from '../features/inspector/InspectorPanel';
import { useLiveUpdates } from '../features/live/useLiveUpdates';
import { RunsPanel } from '../features/runs/RunsPanel';
import { useRuns } from '../features/runs/runsStore';
import { TimelinePanel } from '../features/timeline/TimelinePanel';
import { ProblemsBanner } from '../features/workflows/ProblemsBanner';
import { useWorkflows } from '../features/workflows/workflowsStore';
import { TopBar } from './TopBar';
import './App.css';

export function App() {
  useLiveUpdates();
  useEffect(() => {
    void useWorkflows.getState().load();
    void useRuns.getState().load();
  }, []);

  return (
    <div className="app">
      <TopBar />
      <ProblemsBanner />
      <ErrorBar />
      <main className="workbench">
        <RunsPanel />
        <TimelinePanel />
        <div className="workbench__detail">
          <InspectorPanel />
          <DiffPanel />
        </div>
      </main>
    </div>
  );
}
