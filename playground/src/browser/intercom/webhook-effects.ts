// Countersign answers a webhook with 200 at once and processes the notification afterwards, so the
// page looks for the notification's effect in Countersign's API (through the playground's proxy,
// which adds the review key server-side) before it refreshes the inbox app.
import type { ApprovalPage, ApprovalView } from '@countersign/shared';
import type { WebhookKind } from '../../intercom/intercom-requests';
import { playgroundApi } from '../api';
import type { ZafRequestOptions } from '../zaf-request';
import type { WebhookAnswer } from './intercom-api';

const POLL_MS = 200;
const GIVE_UP_MS = 10_000;

async function listRequests(query: string): Promise<ApprovalView[]> {
  const response = await playgroundApi.zafRequest({ url: `/api/approvals?${query}`, type: 'GET', headers: { Authorization: 'Bearer {{setting.review_key}}' } } satisfies ZafRequestOptions);
  const answer = (await response.json()) as { status?: number; responseText: string };
  if (!response.ok || answer.status !== 200) throw new Error(`listing requests failed (${answer.status ?? response.status})`);
  return (JSON.parse(answer.responseText) as ApprovalPage).items ?? [];
}

type Effect = (conversationId: string, answer: WebhookAnswer) => Promise<boolean>;

/** For each webhook kind that has one: is its effect visible yet? */
const EFFECTS: Partial<Record<WebhookKind, Effect>> = {
  // The notification became a request (whatever has happened to it since).
  gated: async (conversationId, answer) => {
    const items = await listRequests(`conversationId=${encodeURIComponent(conversationId)}&limit=20`);
    return items.some((approval) => approval.metadata?.intercomNotificationId === answer.notificationId);
  },
  // Closing cancelled every pending request of the conversation.
  closed: async (conversationId) => (await listRequests(`conversationId=${encodeURIComponent(conversationId)}&status=pending&limit=1`)).length === 0,
};

/** True once the webhook's effect shows in Countersign's API; false for a kind without one, or after 10 s. */
export async function effectVisible(kind: WebhookKind, answer: WebhookAnswer, conversationId: string): Promise<boolean> {
  const visible = EFFECTS[kind];
  if (!visible) return false;
  const deadline = Date.now() + GIVE_UP_MS;
  for (;;) {
    try {
      if (await visible(conversationId, answer)) return true;
    } catch (error) {
      console.warn('playground: looking for the webhook\'s effect failed', error);
    }
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
