// "Automation's callback receiver": the signed approval.decided callbacks the server's receiver got.
import { byTestId, formatTime, h } from './dom.js';

function receiverItem(delivery) {
  const body = delivery.body ?? {};
  const status = String(body.status ?? 'UNKNOWN');
  return h('li', { className: 'receiver-item', testId: 'receiver-item', data: { status, approvalId: String(body.approvalId ?? '') } }, [
    h('div', { className: 'receiver-meta' }, [
      h('span', { className: `status-pill status-${status.toLowerCase()}`, text: status }),
      h('strong', { text: String(body.action ?? '') }),
      h('span', { className: 'muted', text: formatTime(delivery.receivedAt) }),
      h('span', {
        className: delivery.signatureValid ? 'signature ok' : 'signature bad',
        testId: 'receiver-signature',
        text: delivery.signatureValid ? 'signature valid' : 'signature INVALID',
      }),
    ]),
    h('pre', { className: 'json', testId: 'receiver-body', text: JSON.stringify(body, null, 2) }),
  ]);
}

export function renderReceiver({ deliveries = [] } = {}) {
  byTestId('receiver-empty').hidden = deliveries.length > 0;
  byTestId('receiver-log').replaceChildren(...deliveries.map(receiverItem));
}
