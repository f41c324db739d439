// The playground page: a miniature Zendesk ticket view hosting the real sidebar app through the
// ZAF host emulator, an Intercom inbox view rendering the Countersign canvas, plus the automation's
// controls and callback receiver.
import { messageOf, playgroundApi } from './api';
import { appFrameSrc, loadAppManifest, newAppGuid } from './app-frame';
import { bindAutomationControls } from './automation-controls';
import { applyColorScheme, bindColorSchemeToggle, initialColorScheme } from './color-scheme';
import { byTestId, byTestIdAs } from './dom';
import { startInboxView } from './intercom/inbox-view';
import { poll } from './poller';
import { startQueueFrame } from './queue-frame';
import { createReceiverPanel } from './receiver-log';
import { startSlackView } from './slack/slack-view';
import { renderNotes } from './ticket-notes';
import { renderTicket } from './ticket-view';
import { showToast } from './toasts';
import { logTraffic } from './traffic-log';
import { bindViews } from './views';
import { ZafHost } from './zaf-host';

const RECEIVER_POLL_MS = 1000;
const NOTES_POLL_MS = 1500;

/** Settings Zendesk would expose in metadata: only the non-secure ones (secure values never reach a browser). */
function publicSettings(appSettings: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(appSettings).filter(([, value]) => value !== '{{secure}}'));
}

async function start(): Promise<void> {
  let colorScheme = initialColorScheme();
  applyColorScheme(colorScheme);

  const config = await playgroundApi.config();
  const { ticket, currentUser, account } = config;
  renderTicket(ticket);
  bindViews();

  // Each tab has its own automation, and so its own receiver panel.
  const zendeskReceiver = poll(() => playgroundApi.receiver('zendesk'), createReceiverPanel(byTestId('receiver-zendesk')), RECEIVER_POLL_MS);
  const intercomReceiver = poll(() => playgroundApi.receiver('intercom'), createReceiverPanel(byTestId('receiver-intercom')), RECEIVER_POLL_MS);
  const notes = poll(() => playgroundApi.ticketNotes(ticket.id), renderNotes, NOTES_POLL_MS);

  const manifest = await loadAppManifest();
  const iframe = byTestIdAs(HTMLIFrameElement, 'zaf-app-frame');
  const appGuid = newAppGuid();
  const context = { instanceGuid: appGuid, product: 'support', account: { subdomain: account.subdomain }, location: 'ticket_sidebar', ticketId: ticket.id };
  const metadata = {
    appId: 1,
    installationId: 1,
    name: manifest?.name ?? 'Countersign',
    version: manifest?.version ?? '0.0.0',
    settings: publicSettings(config.appSettings),
  };
  const host = new ZafHost({
    iframe,
    appGuid,
    context,
    metadata,
    data: { ticket, currentUser, currentAccount: { subdomain: account.subdomain }, colorScheme },
    sendRequest: (options) => playgroundApi.zafRequest(options),
    onNotify: showToast,
    onTraffic: logTraffic,
  });
  host.start();

  const loadApp = () => {
    if (manifest) iframe.src = appFrameSrc(manifest, { appGuid, colorScheme });
  };
  loadApp();
  const queue = manifest
    ? startQueueFrame({ manifest, metadata, currentUser, account, colorScheme, ticketId: ticket.id, sendRequest: (options) => playgroundApi.zafRequest(options), onTraffic: logTraffic })
    : null;

  bindColorSchemeToggle(
    () => colorScheme,
    (next) => {
      colorScheme = next;
      host.setColorScheme(next);
      queue?.setColorScheme(next);
    },
  );
  byTestId('reload-app').addEventListener('click', loadApp);
  byTestId('send-ticket-updated').addEventListener('click', () => host.trigger('ticket.updated', currentUser));
  byTestId('send-app-activated').addEventListener('click', () => host.trigger('app.activated', { firstLoad: false }));

  bindAutomationControls({
    ticketId: ticket.id,
    seedWaitMs: config.seeds?.cancellation?.maxWaitMs ?? 0,
    // The trigger that posts seed 000 runs on a ticket update; Zendesk tells the open ticket's apps.
    onSeedPosted: () => {
      host.trigger('ticket.updated', currentUser);
      notes.now();
    },
    onDecidedElsewhere: () => {
      zendeskReceiver.now();
      notes.now();
    },
  });

  startSlackView();
  await startInboxView({ onCallbackExpected: () => intercomReceiver.now() }).catch((error: unknown) => {
    byTestId('intercom-conversation-title').textContent = `The inbox view could not start: ${messageOf(error)}`;
    throw error;
  });
  document.documentElement.dataset.ready = 'true';
}

start().catch((error: unknown) => {
  console.error(error);
  byTestId('ticket-subject').textContent = `The playground could not start: ${messageOf(error)}`;
  document.documentElement.dataset.ready = 'error';
});
