// Entry point of the iframe page Zendesk opens in the ticket sidebar.
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { PUBLIC_URL } from './config';
import { StoredReviewerSession } from './live/stored-reviewer-session';
import { initZafClient } from './zaf/init-client';

const container = document.getElementById('root');
const client = initZafClient();
if (container && client) {
  // The agent's reviewer session for the live stream. The Zendesk sign-in keeps it there (save());
  // until it has, the sidebar polls.
  createRoot(container).render(<App client={client} publicUrl={PUBLIC_URL} reviewerSessions={new StoredReviewerSession()} />);
} else if (container) {
  container.textContent = 'Countersign runs inside Zendesk Support: open a ticket to see its approval requests.';
}
