// What a receiver of Countersign's callbacks does, written from the Standard Webhooks specification
// rather than from the server's own signing code, so a test using it checks the server independently.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type WebhookCheck = { ok: true; id: string } | { ok: false; reason: string };

/**
 * Checks `webhook-signature` (space-separated `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed by
 * the base64 bytes after `whsec_`) and that `webhook-timestamp` is within `toleranceSeconds` of `receivedAt`.
 */
export function checkStandardWebhook(
  secret: string,
  headers: IncomingHttpHeaders,
  body: string,
  receivedAt: number = Date.now(),
  toleranceSeconds = 300,
): WebhookCheck {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signature !== 'string') return { ok: false, reason: 'missing webhook-* headers' };
  if (!/^\d+$/.test(timestamp)) return { ok: false, reason: `webhook-timestamp "${timestamp}" is not whole seconds` };
  if (Math.abs(Math.floor(receivedAt / 1000) - Number(timestamp)) > toleranceSeconds) return { ok: false, reason: `webhook-timestamp ${timestamp} is outside the tolerance` };
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  // Compared as sent, not decoded: a lenient base64 decode would accept junk after the padding.
  const expected = Buffer.from(`v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64')}`);
  const matches = signature.split(' ').some((entry) => {
    const given = Buffer.from(entry);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true, id } : { ok: false, reason: `no v1 signature in "${signature}" matches` };
}
