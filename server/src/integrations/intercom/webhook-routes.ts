// POST /webhooks/intercom, as seed 002 describes: verify X-Hub-Signature, record the notification
// durably (which is also the atomic claim of its id), answer 200 at once, process afterwards.
import express, { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors';
import { parseStrictJson } from '../../http/json-body';
import { methodNotAllowed } from '../../http/error-handler';
import type { Store } from '../../store/port';
import { HUB_SIGNATURE_HEADER, verifyHubSignature } from './webhook-signature';

export const INTERCOM_SOURCE = 'intercom';

const Notification = z.object({
  id: z.string().min(1).max(200),
  topic: z.string().min(1).max(200),
});

export interface WebhookRouteDeps {
  store: Store;
  clientSecret: () => string | null;
  bodyLimitBytes: number;
  clock?: () => number;
  /** Called after the 200 is sent, for new notifications only. */
  process: (event: { eventId: string; payload: string }) => void;
}

export function intercomWebhookRoutes(deps: WebhookRouteDeps): Router {
  const router = Router();
  router
    .route('/webhooks/intercom')
    .post(express.raw({ type: () => true, limit: deps.bodyLimitBytes }), async (req, res) => {
      const secret = deps.clientSecret();
      if (!secret) throw new AppError('unavailable', 'intercom_not_configured', 'Set INTERCOM_CLIENT_SECRET to receive Intercom webhooks.');
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!verifyHubSignature(secret, req.get(HUB_SIGNATURE_HEADER), raw)) {
        throw new AppError('unauthorized', 'invalid_signature', 'X-Hub-Signature is missing or does not match the body (sha1= HMAC of the raw body with the client secret).');
      }
      const parsed = Notification.safeParse(parseStrictJson(raw.toString('utf8')));
      if (!parsed.success) throw new AppError('bad_request', 'invalid_notification', 'Expected an Intercom notification with an id and a topic.');
      const event = { eventId: parsed.data.id, payload: raw.toString('utf8') };
      const isNew = await deps.store.recordInboundEvent({ source: INTERCOM_SOURCE, topic: parsed.data.topic, receivedAt: (deps.clock ?? Date.now)(), ...event });
      res.status(200).json({ received: true, duplicate: !isNew });
      if (isNew) res.once('finish', () => deps.process(event));
    })
    .all(methodNotAllowed(['POST']));
  return router;
}
