// The playground server's own endpoints (same origin). Every call answers parsed JSON or throws
// an Error carrying the server's error message.

export async function call(path, init) {
  const response = await fetch(path, init);
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  if (!response.ok) {
    const message = body && typeof body === 'object' && body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${response.status}`;
    const error = new Error(message);
    error.status = response.status;
    error.body = body;
    throw error;
  }
  return body;
}

export const post = (path, body) => call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export const playgroundApi = {
  config: () => call('/playground/api/config'),
  /** kind: 'refund' (seed 000) or 'cancellation' (seed 001, held until decided; `run` tags the request). */
  postSeed: (kind, { run } = {}) => post(`/playground/api/seeds/${kind}`, run ? { run } : {}),
  /** channel: 'zendesk' | 'intercom', each automation's own receiver. */
  receiver: (channel) => call(`/playground/api/receiver?channel=${encodeURIComponent(channel)}`),
  ticketNotes: (ticketId) => call(`/playground/api/tickets/${encodeURIComponent(ticketId)}/notes`),
  decideElsewhere: (approvalId, decision, note) => post('/playground/api/decide-elsewhere', { approvalId, decision, note }),
  /** Raw: the proxy's HTTP response is interpreted by zaf-request.js, not here. */
  zafRequest: (options) => fetch('/playground/api/zaf-request', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ options }) }),
  appManifest: () => call('/playground/zendesk-app/manifest.json'),
};
