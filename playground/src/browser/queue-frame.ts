// The app's top-bar location, the agent's queue, hosted beside the ticket where Zendesk would show its
// popover, through a second ZAF host (its own app_guid and frame). Its icon's count and the tickets it
// opens are shown on the page.
import type { AppManifest } from './api';
import { appFrameSrc, hasLocation, newAppGuid } from './app-frame';
import type { ColorScheme } from './color-scheme';
import { byTestId, byTestIdAs } from './dom';
import { showToast } from './toasts';
import type { TrafficDirection } from './traffic-log';
import { ZafHost } from './zaf-host';

export interface QueueFrameOptions {
  manifest: AppManifest;
  metadata: Record<string, unknown>;
  currentUser: unknown;
  account: { subdomain: string };
  colorScheme: ColorScheme;
  /** The one ticket the playground has. */
  ticketId: number | string;
  sendRequest: (options: unknown) => Promise<Response>;
  onTraffic: (direction: TrafficDirection, text: string) => void;
}

/** Starts the queue's frame, or answers null when the app has no top_bar location. */
export function startQueueFrame(options: QueueFrameOptions): ZafHost | null {
  if (!hasLocation(options.manifest, 'top_bar')) return null;
  const iframe = byTestIdAs(HTMLIFrameElement, 'zaf-queue-frame');
  byTestId('queue-slot').hidden = false;
  const appGuid = newAppGuid();
  const context = { instanceGuid: appGuid, product: 'support', account: options.account, location: 'top_bar' };
  const host = new ZafHost({
    iframe,
    appGuid,
    context,
    metadata: options.metadata,
    // No ticket here: the top bar sees the agent and the account only, as in Zendesk.
    data: { currentUser: options.currentUser, currentAccount: options.account, colorScheme: options.colorScheme },
    sendRequest: options.sendRequest,
    onNotify: showToast,
    onTraffic: (direction, text) => options.onTraffic(direction, `[top bar] ${text}`),
    onRouteTo: (args) => routeTo(args, options.ticketId),
    onIconSymbol: showBadge,
  });
  host.start();
  iframe.src = appFrameSrc(options.manifest, { appGuid, colorScheme: options.colorScheme }, 'top_bar');
  return host;
}

/** "count-3" → 3, "count-9plus" → 9+, "default" → no badge. */
function showBadge(symbol: string): void {
  const badge = byTestId('queue-badge');
  const count = /^count-(\d+)(plus)?$/.exec(symbol);
  badge.dataset.symbol = symbol;
  badge.textContent = count ? `${count[1]}${count[2] ? '+' : ''}` : '';
  badge.hidden = !count;
}

function routeTo([kind, id]: unknown[], ticketId: number | string): void {
  if (kind !== 'ticket') return showToast(`Zendesk would open ${String(kind)} ${String(id)}.`);
  document.documentElement.dataset.routedTo = `ticket/${String(id)}`;
  if (String(id) !== String(ticketId)) return showToast(`Zendesk would open ticket #${String(id)}; the playground has only ticket #${ticketId}.`);
  if (window.location.hash !== '#zendesk') window.location.hash = '#zendesk';
  byTestId('ticket-id').scrollIntoView({ block: 'nearest' });
  showToast(`Opened ticket #${String(id)}.`);
}
