// Standard Webhooks v1 signatures: base64 HMAC-SHA256 of "id.timestamp.body" with a whsec_ secret.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { CALLBACK_SECRET_PREFIX as SECRET_PREFIX } from '../workspaces/callback-secret';

const DEFAULT_TOLERANCE_SECONDS = 300;

function secretBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

export function sign(secret: string, msgId: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secretBytes(secret)).update(`${msgId}.${timestamp}.${body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

/** One signature per secret, space-separated: during a rotation receivers may hold either secret. */
export function signatureHeader(secrets: readonly string[], msgId: string, timestamp: number, body: string): string {
  return secrets.map((secret) => sign(secret, msgId, timestamp, body)).join(' ');
}

export interface SignedMessage {
  id: string | undefined | null;
  timestamp: string | undefined | null;
  signature: string | undefined | null;
  body: string;
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'future_timestamp' | 'no_matching_signature' };

/** What a receiver does: check the timestamp window, then compare each v1 signature in constant time. */
export function verifySignature(secret: string, message: SignedMessage, nowSeconds = Math.floor(Date.now() / 1000), toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): VerifyResult {
  const { id, timestamp, signature, body } = message;
  if (!id || !timestamp || !signature) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const ts = Number(timestamp);
  if (nowSeconds - ts > toleranceSeconds) return { ok: false, reason: 'stale_timestamp' };
  if (ts - nowSeconds > toleranceSeconds) return { ok: false, reason: 'future_timestamp' };
  const expected = Buffer.from(sign(secret, id, ts, body).slice(3), 'base64');
  for (const entry of signature.split(' ')) {
    const [version, encoded] = entry.split(',', 2);
    if (version !== 'v1' || !encoded) continue;
    const candidate = decodeCanonicalBase64(encoded);
    if (candidate && candidate.length === expected.length && timingSafeEqual(candidate, expected)) return { ok: true };
  }
  return { ok: false, reason: 'no_matching_signature' };
}

/**
 * The bytes of canonical, padded base64, or null. Node's decoder skips characters outside the
 * alphabet and stops at padding, so without this check "<signature>AAAA", "<signature>!!" or a
 * signature with its padding dropped would all decode to the genuine MAC and be accepted.
 */
export function decodeCanonicalBase64(encoded: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return null;
  const bytes = Buffer.from(encoded, 'base64');
  return bytes.toString('base64') === encoded ? bytes : null;
}
