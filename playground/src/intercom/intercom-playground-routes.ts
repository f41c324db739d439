// The playground's Intercom side: the page's inbox view asks these routes to act as Intercom would —
// send the Inbox app's canvas requests and webhook notifications to Countersign, signed server-side
// with the client secret (which never reaches the browser) — and a fake Intercom REST API records
// the conversation notes Countersign writes back.
import { timingSafeEqual } from 'node:crypto';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { signCanvasBody } from '@countersign/intercom-canvas';
import { AppError } from '@countersign/server/approvals';
import { jsonBody, validate } from '@countersign/server/http';
import { hubSignature } from '@countersign/server/integrations/intercom';
import type { PlaygroundRuntime } from '../playground-routes';
import { messengerSdkModule } from './messenger-sdk';
import { noteText } from './note-text';
import { CLOSED_TOPIC, WEBHOOK_KINDS, initializeRequest, notificationEvent, submitRequest, type WebhookKind } from './intercom-requests';
import { SAMPLE_ADMIN, conversationForPage } from './sample-conversation';

const BODY_LIMIT = 256 * 1024;
const SELF_CALL_TIMEOUT_MS = 30_000;
const JsonObject = z.record(z.string(), z.unknown());

const SubmitInput = z.strictObject({
  component_id: z.string().min(1).max(1000),
  input_values: JsonObject.nullish(),
  current_canvas: JsonObject.nullish(),
  stored_data: JsonObject.nullish(),
});

/** Intercom's "Reply to a conversation" body, for notes (the only kind Countersign sends). */
const NoteReply = z.looseObject({
  message_type: z.literal('note'),
  type: z.literal('admin'),
  admin_id: z.union([z.string().min(1).max(64), z.number().int()]).transform(String),
  body: z.string().min(1).max(64 * 1024),
});

interface Sent {
  status: number;
  body: unknown;
}

export function intercomPlaygroundRoutes(runtime: () => PlaygroundRuntime | null): Router {
  const router = Router();
  const ready = (): PlaygroundRuntime => {
    const current = runtime();
    if (!current) throw new AppError('unavailable', 'playground_starting', 'The playground is still starting; try again in a moment.');
    return current;
  };
  /** The last notification delivered, byte for byte, for "deliver it again". */
  let lastNotification: { id: string; topic: string; body: string } | null = null;

  router.get('/playground/api/intercom/config', (_req, res) => {
    const rt = ready();
    res.json({ conversation: conversationForPage(rt.intercom.conversation.state), admin: SAMPLE_ADMIN, workspaceId: rt.intercom.intercomWorkspaceId, appId: rt.intercom.appId });
  });

  // The Inbox app's two flows, as Intercom calls them when a teammate opens the app or clicks.
  router.post('/playground/api/intercom/canvas/initialize', ...jsonBody({ limitBytes: 1024, optional: true }), async (_req, res) => {
    const rt = ready();
    res.json(await sendCanvasRequest(rt, 'initialize', JSON.stringify(initializeRequest(rt.intercom.intercomWorkspaceId))));
  });

  router.post('/playground/api/intercom/canvas/submit', ...jsonBody({ limitBytes: BODY_LIMIT }), async (req, res) => {
    const input = validate(SubmitInput, req.body);
    const rt = ready();
    res.json(await sendCanvasRequest(rt, 'submit', JSON.stringify(submitRequest(rt.intercom.intercomWorkspaceId, input))));
  });

  router.post('/playground/api/intercom/webhooks/:kind', async (req, res) => {
    const kind = String(req.params.kind) as WebhookKind;
    if (!WEBHOOK_KINDS.includes(kind)) throw new AppError('not_found', 'unknown_webhook', `Webhook kinds are: ${WEBHOOK_KINDS.join(', ')}.`);
    const rt = ready();
    let notification = lastNotification;
    if (kind === 'duplicate') {
      if (!notification) throw new AppError('conflict', 'nothing_to_repeat', 'No notification was delivered yet: send one first, then deliver it again.');
    } else {
      const event = notificationEvent(kind === 'closed' ? CLOSED_TOPIC : rt.intercom.gatedTopic, rt.intercom.intercomWorkspaceId);
      notification = { id: event.id, topic: event.topic, body: JSON.stringify(event) };
      lastNotification = notification;
      // Intercom's own state changes whatever its webhook delivery does: closed by the teammate,
      // reopened by Fin's new reply (the notification carries the conversation in that state).
      rt.intercom.conversation.state = event.data.item.state;
    }
    const sent = await post(`${rt.selfUrl}/webhooks/intercom`, notification.body, {
      'user-agent': 'intercom-parrot-service-client/1.0',
      accept: 'application/json',
      'x-hub-signature': hubSignature(rt.intercom.clientSecret, notification.body),
    });
    res.json({ ...sent, notificationId: notification.id, topic: notification.topic, conversationState: rt.intercom.conversation.state });
  });

  router.get('/playground/api/intercom/conversations/:id/notes', (req, res) => {
    res.json({ notes: ready().intercom.notes.list(String(req.params.id)) });
  });

  // The fake Intercom REST API: "Reply to a conversation" with message_type note.
  router.post('/playground/intercom-api/conversations/:id/reply', ...jsonBody({ limitBytes: BODY_LIMIT }), (req, res) => {
    const rt = ready();
    if (!bearerMatches(req.get('authorization'), rt.intercom.accessToken)) {
      return intercomError(res, 401, 'unauthorized', 'Access Token Invalid');
    }
    if (!req.get('intercom-version')) return intercomError(res, 400, 'intercom_version_invalid', 'Intercom-Version header is required');
    const conversationId = String(req.params.id);
    if (!/^\d{1,20}$/.test(conversationId)) return intercomError(res, 404, 'not_found', 'Resource Not Found');
    const parsed = NoteReply.safeParse(req.body);
    if (!parsed.success) return intercomError(res, 400, 'parameter_invalid', 'Expected {"message_type":"note","type":"admin","admin_id":…,"body":…}');
    rt.intercom.notes.record(conversationId, { body: noteText(parsed.data.body), public: false });
    res.json({ type: 'conversation', id: conversationId, state: 'open', open: true, admin_assignee_id: Number(parsed.data.admin_id) || null });
  });

  // The Messenger SDK as an ES module, only when an Intercom app id is configured.
  router.get('/playground/intercom/messenger-sdk.js', async (_req, res) => {
    if (!ready().intercom.appId) throw new AppError('not_found', 'messenger_not_configured', 'Set INTERCOM_APP_ID to boot the Intercom Messenger on the playground.');
    let code: string;
    try {
      code = await messengerSdkModule();
    } catch {
      throw new AppError('unavailable', 'messenger_sdk_unavailable', 'The Intercom Messenger SDK could not be bundled (is esbuild installed?).');
    }
    res.type('text/javascript').set('cache-control', 'no-cache').send(code);
  });

  return router;
}

async function sendCanvasRequest(rt: PlaygroundRuntime, flow: 'initialize' | 'submit', body: string): Promise<Sent> {
  return post(`${rt.selfUrl}/intercom/canvas/${flow}`, body, { 'x-body-signature': signCanvasBody(rt.intercom.clientSecret, body) });
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<Sent> {
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(SELF_CALL_TIMEOUT_MS) });
    const text = await response.text();
    return { status: response.status, body: parseOrText(text) };
  } catch (error) {
    return { status: 0, body: { error: { code: 'unreachable', message: error instanceof Error ? error.message : String(error) } } };
  }
}

function parseOrText(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function intercomError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ type: 'error.list', request_id: null, errors: [{ code, message }] });
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
