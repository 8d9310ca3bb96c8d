// Entry point: choose the transport, then render the app (or say why it cannot start).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { StartupProblem } from './app/StartupProblem';
import { setStudioClient } from './lib/studio';
import { pickTransport } from './transport/pickTransport';
import './styles/theme.css';
import './styles/base.css';

const root = createRoot(document.getElementById('root')!);
const choice = pickTransport(window);
if ('client' in choice) {
  setStudioClient(choice.client, choice.token, choice.files, choice.consentAskedBy, choice.database);
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
} else {
  root.render(<StartupProblem message={choice.problem} />);
}
