// "The automation's callback receiver": the signed approval.decided callbacks one channel's receiver
// got (each tab has its own), newest first. Only the newest few are listed until "Show all" is
// pressed, and each body is folded except the newest, so the panel stays a screen or so tall.
import type { CallbackBody } from '@countersign/shared';
import type { ReceivedCallback } from '../callback-inbox';
import { byTestId, formatTime, h } from './dom';

export const NEWEST_SHOWN = 20;

const keyOf = (delivery: ReceivedCallback) => String(delivery.webhookId ?? delivery.receivedAt);

/** The receiver keeps any body it got (JSON or text); a callback's is Countersign's CallbackBody. */
function callbackFields(body: unknown): Partial<CallbackBody> {
  return body !== null && typeof body === 'object' ? (body as Partial<CallbackBody>) : {};
}

function receiverItem(delivery: ReceivedCallback, open: boolean, onToggle: (open: boolean) => void): HTMLLIElement {
  const body = delivery.body ?? {};
  const fields = callbackFields(body);
  const status = String(fields.status ?? 'UNKNOWN');
  const details = h('details', { className: 'receiver-details', attrs: open ? { open: '' } : {} }, [
    h('summary', { className: 'receiver-meta' }, [
      h('span', { className: `status-pill status-${status.toLowerCase()}`, text: status }),
      h('strong', { text: String(fields.action ?? '') }),
      h('span', { className: 'muted', text: formatTime(delivery.receivedAt) }),
      h('span', {
        className: delivery.signatureValid ? 'signature ok' : 'signature bad',
        testId: 'receiver-signature',
        text: delivery.signatureValid ? 'signature valid' : 'signature INVALID',
      }),
    ]),
    h('pre', { className: 'json', testId: 'receiver-body', text: JSON.stringify(body, null, 2) }),
  ]);
  details.addEventListener('toggle', () => onToggle(details.open));
  return h('li', { className: 'receiver-item', testId: 'receiver-item', data: { status, approvalId: String(fields.approvalId ?? '') } }, [details]);
}

/** `root` is the panel; answers the poller's render function for `{deliveries}`. */
export function createReceiverPanel(root: HTMLElement): (value: { deliveries: ReceivedCallback[] }) => void {
  const list = byTestId('receiver-log', root);
  const empty = byTestId('receiver-empty', root);
  const toggle = byTestId('receiver-show-all', root);
  let deliveries: ReceivedCallback[] = [];
  let showAll = false;
  /** What the reader opened or closed, by callback, so a re-render keeps it. */
  const chosen = new Map<string, boolean>();

  const render = () => {
    empty.hidden = deliveries.length > 0;
    const shown = showAll ? deliveries : deliveries.slice(0, NEWEST_SHOWN);
    list.replaceChildren(...shown.map((delivery, index) => {
      const key = keyOf(delivery);
      const fallback = index === 0;
      return receiverItem(delivery, chosen.get(key) ?? fallback, (open) => {
        if (open === fallback) chosen.delete(key);
        else chosen.set(key, open);
      });
    }));
    toggle.hidden = deliveries.length <= NEWEST_SHOWN;
    toggle.textContent = showAll ? `Show the newest ${NEWEST_SHOWN} only` : `Show all ${deliveries.length}`;
    toggle.setAttribute('aria-expanded', String(showAll));
  };

  toggle.addEventListener('click', () => {
    showAll = !showAll;
    render();
  });

  return (value) => {
    deliveries = Array.isArray(value?.deliveries) ? value.deliveries : [];
    render();
  };
}
