// POST /webhooks/intercom, as seed 002 describes: verify X-Hub-Signature, record the notification
// durably (which is also the atomic claim of its id), answer 200 at once, process afterwards.
import express, { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AppError } from '../../approvals/errors';
import { parseStrictJson } from '../../http/json-body';
import { methodNotAllowed } from '../../http/error-handler';
import type { Store } from '../../approvals/ports';
import { notificationAge } from './notification-age';
import { HUB_SIGNATURE_HEADER, verifyHubSignature } from './webhook-signature';

export const INTERCOM_SOURCE = 'intercom';

const Notification = z.object({
  id: z.string().min(1).max(200),
  topic: z.string().min(1).max(200),
  created_at: z.unknown().optional(),
});

export interface WebhookRouteDeps {
  store: Store;
  clientSecret: () => string | null;
  bodyLimitBytes: number;
  clock?: () => number;
  /** COUNTERSIGN_EVENT_DEDUP_WINDOW: how long a notification's duplicate record is kept, and so the age at which it is ignored. */
  dedupWindowMs: number;
  log: Logger;
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
      const now = (deps.clock ?? Date.now)();
      // Judged here, at receipt and before recording, not in the processor: the duplicate record is
      // dated by this moment, so this is the moment the window is measured against. A stale body is
      // then never acted on (also not by the resume sweep, which would judge it later) and never
      // recorded, so a replay cannot refresh a record or occupy an id. A notification recorded in
      // time stays good, however late a crash lets it be processed.
      const age = notificationAge(parsed.data.created_at, now, deps.dedupWindowMs);
      if (age !== 'fresh') {
        deps.log.warn({ notificationId: parsed.data.id, topic: parsed.data.topic, createdAt: parsed.data.created_at ?? null, age }, 'intercom notification ignored: not dated within the de-duplication window');
        // 200, so Intercom does not retry it: a retry carries the same created_at and fares no better.
        return void res.status(200).json({ received: true, ignored: age });
      }
      const event = { eventId: parsed.data.id, payload: raw.toString('utf8') };
      const isNew = await deps.store.platformEvents.record({ source: INTERCOM_SOURCE, topic: parsed.data.topic, receivedAt: now, ...event });
      res.status(200).json({ received: true, duplicate: !isNew });
      if (isNew) res.once('finish', () => deps.process(event));
    })
    .all(methodNotAllowed(['POST']));
  return router;
}
