// Identifiers: a prefix naming the kind, then 26 characters that sort by creation time.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

export type IdKind = 'apr' | 'evt' | 'msg' | 'ws' | 'key';

// Random bytes drawn from a pooled buffer: one getrandom call per 256 ids instead of one per id.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = POOL_BYTES;

function random16(): Buffer {
  if (offset + 16 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  offset += 16;
  return pool.subarray(offset - 16, offset);
}

export function newId(kind: IdKind, now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const random = random16();
  let tail = '';
  for (let i = 0; i < 16; i++) tail += ALPHABET[random[i]! % 32];
  return `${kind}_${time}${tail}`;
}

const APPROVAL_ID = /^apr_[0-9a-hjkmnp-tv-z]{26}$/;

export function isApprovalId(value: string): boolean {
  return APPROVAL_ID.test(value);
}
