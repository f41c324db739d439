// Rate limits: token buckets per API key and per client address, kept in this process's memory (so
// with N instances behind a balancer the effective limit is up to N times the configured one).
// Intake and the platform endpoints draw from separate buckets, so a flood of intake from one
// address can never use up what Intercom's webhooks and canvas calls from that address need.
import net from 'node:net';
import type { RequestHandler } from 'express';
import type { RateLimitConfig } from '../config/config';
import { AppError } from '../approvals/errors';
import { hashKey } from '../keys/api-keys';
import { presentedKey } from './auth';

/** Buckets are forgotten once full again; this many before a sweep is worth its cost. */
const SWEEP_AT = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

/** Capacity is two seconds' worth: a short burst passes, a sustained excess is refused. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.capacity = Math.max(1, perSecond * 2);
  }

  /** Takes one token; answers how many seconds to wait when there is none. */
  take(key: string): { ok: true } | { ok: false; retryAfterS: number } {
    const now = this.now();
    const bucket = this.refilled(this.buckets.get(key), now);
    const ok = bucket.tokens >= 1;
    if (ok) bucket.tokens -= 1;
    this.remember(key, bucket, now);
    return ok ? { ok } : { ok, retryAfterS: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond)) };
  }

  get size(): number {
    return this.buckets.size;
  }

  private refilled(bucket: Bucket | undefined, now: number): Bucket {
    if (!bucket) return { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    return bucket;
  }

  private remember(key: string, bucket: Bucket, now: number): void {
    this.buckets.set(key, bucket);
    if (this.buckets.size < SWEEP_AT) return;
    // A bucket that has refilled is the same as no bucket: forgetting it keeps memory bounded by
    // the callers active in the last couple of seconds.
    for (const [k, b] of this.buckets) if (this.refilled(b, now).tokens >= this.capacity) this.buckets.delete(k);
  }
}

/**
 * IPv6 callers usually hold a whole /64, so one bucket covers it; IPv4 (and IPv4-mapped IPv6)
 * addresses get one each.
 */
export function clientAddressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (net.isIPv6(address)) return `${expandV6(address).slice(0, 4).join(':')}::/64`;
  return address;
}

function expandV6(address: string): string[] {
  const [head = '', tail = ''] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = address.includes('::') ? Array(Math.max(0, 8 - left.length - right.length)).fill('0') : [];
  return [...left, ...fill, ...right].map((part) => part.toLowerCase().replace(/^0+(?=.)/, ''));
}

/** Takes a token from `key`'s bucket, or refuses the request with 429 and Retry-After. */
function spend(buckets: TokenBuckets | null, key: string, what: string): void {
  const taken = buckets?.take(key);
  if (!taken || taken.ok) return;
  throw new AppError('rate_limited', 'rate_limited', `Too many requests ${what}; retry after ${taken.retryAfterS} s.`, {
    headers: { 'retry-after': String(taken.retryAfterS) },
  });
}

/**
 * For /api: per client address first (bad keys are refused by auth, but their requests still cost),
 * then per presented key, keyed by its hash so the key itself is never held.
 */
export function apiRateLimits(config: RateLimitConfig): RequestHandler {
  const byAddress = config.apiPerIp > 0 ? new TokenBuckets(config.apiPerIp) : null;
  const byKey = config.perKey > 0 ? new TokenBuckets(config.perKey) : null;
  return (req, _res, next) => {
    spend(byAddress, clientAddressKey(req.ip), 'from this address');
    // Picks a bucket only; authentication happens after, in the route.
    const key = presentedKey(req);
    if (key && key.length <= 256) spend(byKey, hashKey(key), 'for this key');
    next();
  };
}

/** For the public platform endpoints (Intercom webhooks and canvas, OAuth, request pages). */
export function platformRateLimit(config: RateLimitConfig): RequestHandler {
  const byAddress = config.platformPerIp > 0 ? new TokenBuckets(config.platformPerIp) : null;
  return (req, _res, next) => {
    spend(byAddress, clientAddressKey(req.ip), 'from this address');
    next();
  };
}
