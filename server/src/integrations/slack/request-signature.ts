// Slack's request signature (https://api.slack.com/authentication/verifying-requests-from-slack):
// X-Slack-Signature is "v0=" + hex HMAC-SHA256 of "v0:{X-Slack-Request-Timestamp}:{raw body}" with the
// app's signing secret, and a timestamp more than 5 minutes from now is refused (a replay). Written
// here: it is a dozen lines of node:crypto, and Slack's SDKs bundle it only inside their frameworks.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-slack-signature';
export const TIMESTAMP_HEADER = 'x-slack-request-timestamp';
export const TOLERANCE_S = 5 * 60;

const TIMESTAMP = /^\d{1,12}$/;
const SIGNATURE = /^v0=[0-9a-f]{64}$/;

export type SignatureCheck = { ok: true; signature: string } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export function slackSignature(secret: string, timestamp: string, body: Buffer | string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
}

export function verifySlackSignature(secret: string, timestamp: string | undefined, signature: string | undefined, body: Buffer, nowMs: number): SignatureCheck {
  if (!timestamp || !signature) return { ok: false, reason: 'missing' };
  if (!TIMESTAMP.test(timestamp) || !SIGNATURE.test(signature)) return { ok: false, reason: 'malformed' };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > TOLERANCE_S) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(slackSignature(secret, timestamp, body));
  const presented = Buffer.from(signature);
  // Same length by the pattern above; compared in constant time.
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return { ok: false, reason: 'mismatch' };
  return { ok: true, signature };
}
