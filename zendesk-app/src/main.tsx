// Entry point of the iframe page Zendesk opens in the ticket sidebar.
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { PUBLIC_URL } from './config';
import { initZafClient } from './zaf/init-client';

const container = document.getElementById('root');
const client = initZafClient();
if (container && client) {
  createRoot(container).render(<App client={client} publicUrl={PUBLIC_URL} />);
} else if (container) {
  container.textContent = 'Countersign runs inside Zendesk Support: open a ticket to see its approval requests.';
}
