// API keys: random, shown once, stored only as a SHA-256 hash with a short recognisable prefix.
import { createHash, randomInt } from 'node:crypto';
import { newId } from '../approvals/ids';
import type { ApiKeyRecord, KeyReviewer, KeyScope } from '../approvals/workspace-records';

const KEY_PREFIX: Record<KeyScope, string> = { intake: 'cs_live_', review: 'cs_review_', admin: 'cs_admin_' };
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const RANDOM_CHARS = 40; // ~238 bits
const VISIBLE_CHARS = 6;

export function generateKey(scope: KeyScope): string {
  let random = '';
  for (let i = 0; i < RANDOM_CHARS; i++) random += ALPHABET[randomInt(ALPHABET.length)];
  return KEY_PREFIX[scope] + random;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** What lists and logs show of a key: its scope marker and a few characters, never enough to use it. */
export function keyPrefix(key: string): string {
  const marker = Object.values(KEY_PREFIX).find((p) => key.startsWith(p)) ?? '';
  return key.slice(0, marker.length + VISIBLE_CHARS) + '…';
}

export function keyRecord(input: { key: string; workspaceId: string; scope: KeyScope; label?: string | null; reviewer?: KeyReviewer | null; now: number }): ApiKeyRecord {
  return {
    id: newId('key', input.now),
    workspaceId: input.workspaceId,
    scope: input.scope,
    prefix: keyPrefix(input.key),
    hash: hashKey(input.key),
    label: input.label ?? null,
    createdAt: input.now,
    revokedAt: null,
    reviewer: input.scope === 'review' ? (input.reviewer ?? null) : null,
  };
}
