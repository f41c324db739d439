// Identifiers: a prefix naming the kind, then 26 characters that sort by creation time.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

export type IdKind = 'apr' | 'evt' | 'msg' | 'ws' | 'key';

export function newId(kind: IdKind, now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const random = randomBytes(16);
  let tail = '';
  for (let i = 0; i < 16; i++) tail += ALPHABET[random[i]! % 32];
  return `${kind}_${time}${tail}`;
}

const APPROVAL_ID = /^apr_[0-9a-hjkmnp-tv-z]{26}$/;

export function isApprovalId(value: string): boolean {
  return APPROVAL_ID.test(value);
}
