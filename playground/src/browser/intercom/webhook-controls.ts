// Intercom's side of the automation: the webhook notifications the playground server sends to
// POST /webhooks/intercom, signed with X-Hub-Signature. Each button shows its delivery's HTTP status.
import type { ErrorBody } from '@countersign/shared';
import type { WebhookKind } from '../../intercom/intercom-requests';
import { answerFields, messageOf, PlaygroundApiError } from '../api';
import { byTestId, byTestIdAs, formatTime, h, setData } from '../dom';
import { intercomApi, type WebhookAnswer } from './intercom-api';

export const WEBHOOK_BUTTONS: ReadonlyArray<[kind: WebhookKind, testId: string]> = [
  ['gated', 'intercom-webhook-gated'],
  ['duplicate', 'intercom-webhook-duplicate'],
  ['closed', 'intercom-webhook-closed'],
];
const MAX_LOG = 30;

/** What Countersign's webhook endpoint answers: received (and whether it was a duplicate), or an error. */
type WebhookReceipt = { received: boolean; duplicate: boolean } & ErrorBody;

function describe(answer: WebhookAnswer): string {
  const body = answerFields<WebhookReceipt>(answer.body);
  if (answer.status === 0) return 'Countersign could not be reached';
  if (body.error) return `${body.error.code}: ${body.error.message}`;
  if (answer.body && typeof answer.body === 'object' && 'received' in answer.body) return body.duplicate ? 'received, duplicate (skipped)' : 'received, processing';
  return '';
}

export interface WebhookControls<Sent> {
  /** Runs as the button is clicked; its answer goes to onDelivered. */
  onSending: (kind: WebhookKind) => Sent;
  onDelivered: (kind: WebhookKind, answer: WebhookAnswer, sent: Sent) => void;
}

export function bindWebhookControls<Sent>({ onSending, onDelivered }: WebhookControls<Sent>): void {
  const log = byTestId('intercom-webhook-log');
  for (const [kind, testId] of WEBHOOK_BUTTONS) {
    const button = byTestIdAs(HTMLButtonElement, testId);
    const status = byTestId(`${testId}-status`);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const sent = onSending(kind);
        const answer = await intercomApi.webhook(kind);
        const duplicate = answerFields<WebhookReceipt>(answer.body).duplicate === true;
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
        status.textContent = `failed: ${messageOf(error)}`;
        setData(status, { httpStatus: String(error instanceof PlaygroundApiError ? error.status : 'error') });
      } finally {
        button.disabled = false;
      }
    });
  }
}
