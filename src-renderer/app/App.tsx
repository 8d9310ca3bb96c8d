// The window: toolbar and banners on top, then Runs · Timeline · (Inspector over Diff), DevTools-style.
import { useEffect } from 'react';
import { OpenDatabaseDialog } from '../features/database/OpenDatabaseDialog';
import { ErrorBar } from '../features/errors/ErrorBar';
import { useLiveUpdates } from '../features/live/useLiveUpdates';
import { ImportedCodeDialog } from '../features/runControls/ImportedCodeDialog';
import { ProblemsBanner } from '../features/workflows/ProblemsBanner';
import { useStudioInfo } from './studioInfo';
import { TopBar } from './TopBar';
import { Workbench } from './Workbench';
import './App.css';

export function App() {
  useLiveUpdates(); // the history and the workflows were asked for before the first render (main.tsx)
  useEffect(() => {
    void useStudioInfo.getState().load();
  }, []);

  return (
    <div className="app">
      <TopBar />
      <ProblemsBanner />
      <ErrorBar />
      <Workbench />
      <ImportedCodeDialog />
      <OpenDatabaseDialog />
    </div>
  );
}
