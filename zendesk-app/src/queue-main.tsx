// Entry point of the iframe page Zendesk opens from the top bar: the agent's queue.
import { createRoot } from 'react-dom/client';
import { PUBLIC_URL } from './config';
import { browserStorage, SessionKeeper } from './sign-in/session-keeper';
import { QueueApp } from './queue/QueueApp';
import { initZafClient } from './zaf/init-client';

const container = document.getElementById('root');
const client = initZafClient();
if (container && client) {
  // The session the sidebar's sign-in keeps (the same origin's storage), read and followed here.
  createRoot(container).render(<QueueApp client={client} publicUrl={PUBLIC_URL} reviewerSessions={new SessionKeeper(browserStorage())} />);
} else if (container) {
  container.textContent = 'Countersign runs inside Zendesk Support: open it from the top bar.';
}
