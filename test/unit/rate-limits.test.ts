import { describe, expect, it } from 'vitest';
import { clientAddressKey, TokenBuckets } from '@countersign/server/http';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('token buckets', () => {
  it('lets a burst of twice the rate through, then refuses with the seconds until the next token', () => {
    const time = clock();
    const buckets = new TokenBuckets(5, time.now);
    const results = Array.from({ length: 12 }, () => buckets.take('k'));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results[10]).toEqual({ ok: false, retryAfterS: 1 });
  });

  it('refills at the configured rate and never beyond its capacity', () => {
    const time = clock();
    const buckets = new TokenBuckets(2, time.now);
    for (let i = 0; i < 4; i++) expect(buckets.take('k').ok).toBe(true);
    expect(buckets.take('k').ok).toBe(false);
    time.advance(500);
    expect(buckets.take('k').ok).toBe(true);
    expect(buckets.take('k').ok).toBe(false);
    time.advance(3_600_000);
    expect(Array.from({ length: 6 }, () => buckets.take('k')).filter((r) => r.ok)).toHaveLength(4);
  });

  it('asks a slow limit to wait more than a second', () => {
    const time = clock();
    const buckets = new TokenBuckets(0.25, time.now);
    expect(buckets.take('k').ok).toBe(true);
    expect(buckets.take('k')).toEqual({ ok: false, retryAfterS: 4 });
  });

  it('keeps one bucket per key', () => {
    const time = clock();
    const buckets = new TokenBuckets(1, time.now);
    buckets.take('a');
    buckets.take('a');
    expect(buckets.take('a').ok).toBe(false);
    expect(buckets.take('b').ok).toBe(true);
  });

  it('forgets refilled buckets, so many one-off callers do not grow memory without bound', () => {
    const time = clock();
    const buckets = new TokenBuckets(10, time.now);
    for (let i = 0; i < 9_000; i++) buckets.take(`caller-${i}`);
    time.advance(5_000);
    for (let i = 0; i < 2_000; i++) buckets.take(`later-${i}`);
    expect(buckets.size).toBeLessThan(5_000);
  });
});

describe('client address keys', () => {
  it('gives an IPv6 /64 one bucket and an IPv4 address its own', () => {
    expect(clientAddressKey('2001:db8:1:2:aaaa::1')).toBe(clientAddressKey('2001:db8:1:2:bbbb::2'));
    expect(clientAddressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:db8:1:3::1')).not.toBe(clientAddressKey('2001:db8:1:2::1'));
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
    expect(clientAddressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey(undefined)).toBe('unknown');
  });
});
