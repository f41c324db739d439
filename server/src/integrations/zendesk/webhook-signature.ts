// Zendesk webhook signatures: base64 HMAC-SHA256 of the timestamp header followed directly by the raw
// body (no separator), with the webhook's signing secret. Checked in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeCanonicalBase64 } from '../../delivery/signing';

export const SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
export const TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';
/** How far the signed timestamp may be from our clock, either way, before the request counts as a replay. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60 * 1000;

export function zendeskSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(timestamp).update(rawBody).digest('base64');
}

export type SignatureVerdict = 'valid' | 'missing' | 'malformed_timestamp' | 'stale' | 'mismatch';

export interface SignedRequest {
  signature: string | undefined;
  timestamp: string | undefined;
  rawBody: Buffer;
}

export function verifyZendeskSignature(secret: string, request: SignedRequest, now = Date.now()): SignatureVerdict {
  const { signature, timestamp } = request;
  if (!signature || !timestamp) return 'missing';
  const signedAt = Date.parse(timestamp);
  if (Number.isNaN(signedAt)) return 'malformed_timestamp';
  if (Math.abs(now - signedAt) > SIGNATURE_TOLERANCE_MS) return 'stale';
  const expected = Buffer.from(zendeskSignature(secret, timestamp, request.rawBody), 'base64');
  // Canonical base64 only: a lenient decode would accept the signature with junk appended.
  const presented = decodeCanonicalBase64(signature.trim());
  // Lengths differ only for garbage; comparing equal-length buffers keeps the check constant-time.
  if (!presented || presented.length !== expected.length) return 'mismatch';
  return timingSafeEqual(presented, expected) ? 'valid' : 'mismatch';
}
