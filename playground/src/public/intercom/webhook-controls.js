// Intercom's side of the automation: the webhook notifications the playground server sends to
// POST /webhooks/intercom, signed with X-Hub-Signature. Each button shows its delivery's HTTP status.
import { byTestId, formatTime, h } from '../dom.js';
import { intercomApi } from './intercom-api.js';

export const WEBHOOK_BUTTONS = [
  ['gated', 'intercom-webhook-gated'],
  ['duplicate', 'intercom-webhook-duplicate'],
  ['closed', 'intercom-webhook-closed'],
];
const MAX_LOG = 30;

function describe(answer) {
  const body = answer.body;
  if (answer.status === 0) return 'Countersign could not be reached';
  if (body?.error) return `${body.error.code}: ${body.error.message}`;
  if (body && typeof body === 'object' && 'received' in body) return body.duplicate ? 'received, duplicate (skipped)' : 'received, processing';
  return '';
}

function setData(node, data) {
  for (const key of Object.keys(node.dataset)) if (key !== 'testid') delete node.dataset[key];
  Object.assign(node.dataset, data);
}

/**
 * @param {object} options
 * @param {(kind: string) => unknown} [options.onSending] runs as the button is clicked; its answer goes to onDelivered
 * @param {(kind: string, answer: object, sent: unknown) => void} options.onDelivered
 */
export function bindWebhookControls({ onSending, onDelivered }) {
  const log = byTestId('intercom-webhook-log');
  for (const [kind, testId] of WEBHOOK_BUTTONS) {
    const button = byTestId(testId);
    const status = byTestId(`${testId}-status`);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const sent = onSending?.(kind);
        const answer = await intercomApi.webhook(kind);
        const duplicate = answer.body?.duplicate === true;
        status.textContent = `HTTP ${answer.status}${duplicate ? ' · duplicate' : ''}`;
        setData(status, { httpStatus: String(answer.status), duplicate: String(duplicate), notificationId: String(answer.notificationId ?? '') });
        log.prepend(h('li', { className: 'webhook-item', testId: 'intercom-webhook-item', data: { kind, httpStatus: String(answer.status), notificationId: String(answer.notificationId ?? ''), duplicate: String(duplicate) } }, [
          h('span', { className: 'muted', text: `${formatTime(new Date().toISOString())} ` }),
          h('code', { text: String(answer.topic ?? kind) }),
          h('span', { text: ` ${answer.notificationId ?? ''} → HTTP ${answer.status}` }),
          h('span', { className: 'muted', text: ` ${describe(answer)}` }),
        ]));
        while (log.childElementCount > MAX_LOG) log.lastElementChild?.remove();
        onDelivered(kind, answer, sent);
      } catch (error) {
        status.textContent = `failed: ${error.message}`;
        setData(status, { httpStatus: String(error.status ?? 'error') });
      } finally {
        button.disabled = false;
      }
    });
  }
}
