// The per-host circuit breaker's rules, on its own clock.
import { describe, expect, it } from 'vitest';
import { FAILURES_TO_OPEN, HostBreakers, MAX_COOLDOWN_MS } from '@countersign/server/delivery';
import { hostFailing, type AttemptResult } from '@countersign/server/delivery';

describe('host circuit breaker', () => {
  let now = 0;
  const breakers = () => new HostBreakers(1000, () => now);
  const fail = (b: HostBreakers, times: number, host = 'h') => {
    for (let i = 0; i < times; i++) b.finished(host, `d${i}`, true);
  };

  it('gives a healthy host its whole cap, and one attempt at a time once an attempt has failed', () => {
    const b = breakers();
    expect(b.room('h', 8, 3)).toBe(5);
    fail(b, 1);
    expect(b.room('h', 8, 3)).toBe(0);
    expect(b.room('h', 8, 0)).toBe(1);
    b.finished('h', 'ok', false);
    expect(b.room('h', 8, 3)).toBe(5);
  });

  it('opens after five failures in a row, then lets one probe through after the cool-down', () => {
    now = 0;
    const b = breakers();
    fail(b, FAILURES_TO_OPEN - 1);
    expect(b.isClosed('h')).toBe(true);
    fail(b, 1);
    expect(b.isClosed('h')).toBe(false);
    expect(b.room('h', 8, 0)).toBe(0);
    expect(b.nextProbeAt()).toBe(1000);
    now = 1000;
    expect(b.room('h', 8, 1)).toBe(0); // an attempt from before it opened is still out
    expect(b.room('h', 8, 0)).toBe(1);
    b.started('h', 'probe');
    expect(b.room('h', 8, 1)).toBe(0);
    expect(b.nextProbeAt()).toBeNull();
  });

  it('doubles the cool-down after each failed probe, up to the longest, and closes on a live answer', () => {
    now = 0;
    const b = breakers();
    fail(b, FAILURES_TO_OPEN);
    let cooldown = 1000;
    for (let probe = 0; probe < 12; probe++) {
      now = b.nextProbeAt()!;
      b.started('h', `p${probe}`);
      b.finished('h', 'late-from-before', true); // not the probe: changes nothing
      b.finished('h', `p${probe}`, true);
      cooldown = Math.min(cooldown * 2, MAX_COOLDOWN_MS);
      expect(b.nextProbeAt()).toBe(now + cooldown);
    }
    now = b.nextProbeAt()!;
    b.started('h', 'last');
    b.finished('h', 'last', false);
    expect(b.isClosed('h')).toBe(true);
    expect(b.room('h', 8, 0)).toBe(8);
  });
});

describe('which attempts count against a host', () => {
  const result = (over: Partial<AttemptResult>): AttemptResult => ({ ok: false, statusCode: null, error: 'x', retryAfterMs: null, permanent: false, durationMs: 1, ...over });

  it('counts timeouts, refused connections, 5xx and 429, but not a live 4xx answer', () => {
    expect(hostFailing(result({}))).toBe(true);
    expect(hostFailing(result({ statusCode: 503 }))).toBe(true);
    expect(hostFailing(result({ statusCode: 429 }))).toBe(true);
    expect(hostFailing(result({ statusCode: 404 }))).toBe(false);
  });

  it('does not count an attempt the callback guard refused before connecting (the refusal is ours)', () => {
    expect(hostFailing(result({ blocked: true, error: 'refused to connect to private or reserved address 127.0.0.1' }))).toBe(false);
  });
});
