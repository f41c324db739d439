// The playground server's Intercom endpoints (same origin): it plays Intercom towards Countersign,
// signing canvas requests and webhooks with the client secret the browser never sees.
import type { SubmitInput, WebhookKind } from '../../intercom/intercom-requests';
import type { SAMPLE_ADMIN, conversationForPage } from '../../intercom/sample-conversation';
import type { ConversationState } from '../../playground-routes';
import type { TicketNote } from '../../ticket-notes';
import { call, post, type Relayed } from '../api';

/** GET /playground/api/intercom/config: the sample conversation and the teammate the page plays. */
export interface IntercomConfig {
  conversation: SampleConversation;
  admin: typeof SAMPLE_ADMIN;
  workspaceId: string;
  /** INTERCOM_APP_ID, when the server has one: the page then boots the real Messenger. */
  appId: string | null;
}

export type SampleConversation = ReturnType<typeof conversationForPage>;

/** A webhook delivery: Countersign's answer, the notification sent, and the conversation's state after it. */
export interface WebhookAnswer extends Relayed {
  notificationId: string;
  topic: string;
  conversationState: ConversationState;
}

export const intercomApi = {
  config: () => call<IntercomConfig>('/playground/api/intercom/config'),
  /** Countersign's HTTP status and its answer (a canvas, or an error). */
  initialize: () => post<Relayed>('/playground/api/intercom/canvas/initialize', {}),
  submit: (request: SubmitInput) => post<Relayed>('/playground/api/intercom/canvas/submit', request),
  webhook: (kind: WebhookKind) => post<WebhookAnswer>(`/playground/api/intercom/webhooks/${kind}`, {}),
  notes: (conversationId: string) => call<{ notes: TicketNote[] }>(`/playground/api/intercom/conversations/${encodeURIComponent(conversationId)}/notes`),
};
