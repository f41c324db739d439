// A workspace's callback secret: Standard Webhooks' `whsec_` followed by base64 key bytes.
import { randomBytes } from 'node:crypto';

export const CALLBACK_SECRET_PREFIX = 'whsec_';

export function newCallbackSecret(): string {
  return CALLBACK_SECRET_PREFIX + randomBytes(32).toString('base64');
}

export function isCallbackSecret(secret: string): boolean {
  if (!secret.startsWith(CALLBACK_SECRET_PREFIX)) return false;
  const encoded = secret.slice(CALLBACK_SECRET_PREFIX.length);
  return /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) && Buffer.from(encoded, 'base64').length >= 16;
}
