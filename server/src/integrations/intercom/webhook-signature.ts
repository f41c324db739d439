// Intercom webhook signatures: `X-Hub-Signature: sha1=<hex HMAC-SHA1 of the raw body>` keyed with the
// app's client secret. Compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const HUB_SIGNATURE_HEADER = 'x-hub-signature';
const SHA1_HEX = /^sha1=([0-9a-fA-F]{40})$/;

export function hubSignature(secret: string, rawBody: Buffer | string): string {
  return `sha1=${createHmac('sha1', secret).update(rawBody).digest('hex')}`;
}

export function verifyHubSignature(secret: string, header: string | undefined, rawBody: Buffer): boolean {
  const match = SHA1_HEX.exec(header?.trim() ?? '');
  if (!match) return false;
  const expected = createHmac('sha1', secret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(match[1]!, 'hex'), expected);
}
