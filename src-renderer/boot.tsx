// The app's start, loaded by main.tsx: choose the transport, ask for the history and the workflows, then render
// the app (or say why it cannot start). In browser mode those first calls take the answers main.tsx asked for
// before this code loaded; either way they travel while React draws the window, instead of being asked for after.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { useRuns } from './features/runs/runsStore';
import { useWorkflows } from './features/workflows/workflowsStore';
import { StartupProblem } from './app/StartupProblem';
import { setStudioClient } from './lib/studio';
import { pickTransport } from './transport/pickTransport';
import './styles/theme.css';
import './styles/base.css';

const root = createRoot(document.getElementById('root')!);
const choice = pickTransport(window);
if ('client' in choice) {
  setStudioClient(choice.client, choice.token, choice.files, choice.consentAskedBy, choice.database);
  void useRuns.getState().load();
  void useWorkflows.getState().load();
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
} else {
  root.render(<StartupProblem message={choice.problem} />);
}
