// The playground server's Intercom endpoints (same origin): it plays Intercom towards Countersign,
// signing canvas requests and webhooks with the client secret the browser never sees.
import { call, post } from '../api.js';

export const intercomApi = {
  config: () => call('/playground/api/intercom/config'),
  /** Answers {status, body}: Countersign's HTTP status and its answer (a canvas, or an error). */
  initialize: () => post('/playground/api/intercom/canvas/initialize', {}),
  submit: (request) => post('/playground/api/intercom/canvas/submit', request),
  /** kind: 'gated' | 'duplicate' | 'closed'; answers {status, body, notificationId, topic}. */
  webhook: (kind) => post(`/playground/api/intercom/webhooks/${kind}`, {}),
  notes: (conversationId) => call(`/playground/api/intercom/conversations/${encodeURIComponent(conversationId)}/notes`),
};
