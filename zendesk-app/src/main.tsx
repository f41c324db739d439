// Entry point of the iframe page Zendesk opens in the ticket sidebar.
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { PUBLIC_URL } from './config';
import { browserStorage, SessionKeeper } from './sign-in/session-keeper';
import { initZafClient } from './zaf/init-client';

const container = document.getElementById('root');
const client = initZafClient();
if (container && client) {
  // The live stream uses the session the sidebar's own sign-in keeps (App's SessionKeeper).
  createRoot(container).render(<App client={client} publicUrl={PUBLIC_URL} />);
} else if (container) {
  container.textContent = 'Countersign runs inside Zendesk Support: open a ticket to see its approval requests.';
}
