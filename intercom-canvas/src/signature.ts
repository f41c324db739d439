// Canvas Kit request signatures: `X-Body-Signature: <hex HMAC-SHA256 of the body>` keyed with the
// Intercom app's client secret, compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const BODY_SIGNATURE_HEADER = 'x-body-signature';

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** The X-Body-Signature value for a body (the playground signs its emulated Intercom requests with it). */
export function signCanvasBody(secret: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * Does the header sign this body? Intercom's docs do not say whether the HMAC covers the raw bytes
 * or a re-serialisation of the JSON (a community thread failed to reproduce it from the raw body), so
 * either matches: the raw bytes, or JSON.stringify(JSON.parse(raw)). Both are keyed with the secret,
 * so accepting the second lets no one forge a body.
 */
export function verifyCanvasSignature(secret: string, header: string | undefined, rawBody: Buffer): boolean {
  const hex = header?.trim() ?? '';
  if (!SHA256_HEX.test(hex)) return false;
  const given = Buffer.from(hex, 'hex');
  if (sameDigest(given, hmac(secret, rawBody))) return true;
  const reserialised = reserialisedJson(rawBody);
  return reserialised !== null && sameDigest(given, hmac(secret, reserialised));
}

function hmac(secret: string, body: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

function sameDigest(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function reserialisedJson(rawBody: Buffer): string | null {
  try {
    return JSON.stringify(JSON.parse(rawBody.toString('utf8')));
  } catch {
    return null;
  }
}
