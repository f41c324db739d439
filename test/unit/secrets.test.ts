import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { generateKey, hashKey, keyPrefix } from '@countersign/server/keys';
import { SecretBox } from '@countersign/server/secrets';

describe('secrets at rest', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('whsec_abc', 'ws_1:callback');
    expect(sealed).not.toContain('whsec_abc');
    expect(box.open(sealed, 'ws_1:callback')).toBe('whsec_abc');
  });

  it('refuses a value moved to another slot, altered, or opened with another key', () => {
    const sealed = box.seal('token', 'ws_1:callback');
    expect(() => box.open(sealed, 'ws_2:callback')).toThrow();
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => box.open(`v1:${raw.toString('base64')}`, 'ws_1:callback')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'ws_1:callback')).toThrow();
  });
});

describe('API keys', () => {
  it('are random, scoped by prefix, and listed only by a short prefix', () => {
    const a = generateKey('intake');
    const b = generateKey('review');
    expect(a).toMatch(/^cs_live_[A-Za-z0-9]{40}$/);
    expect(b).toMatch(/^cs_review_[A-Za-z0-9]{40}$/);
    expect(generateKey('intake')).not.toBe(a);
    expect(keyPrefix(a)).toBe(`${a.slice(0, 14)}…`);
    expect(hashKey(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});
