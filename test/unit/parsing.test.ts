import { describe, expect, it } from 'vitest';
import { IntakeBody, DecisionBody, jsonDepth, MAX_JSON_DEPTH } from '@countersign/shared';
import { decodeCursor, encodeCursor } from '@countersign/server/approvals';
import { deriveContext } from '@countersign/server/approvals';
import { canonicalJson, requestHash } from '@countersign/server/approvals';
import { loadConfig } from '@countersign/server/config';
import { dedupRecordRetentionMs } from '@countersign/server/config';
import { parseDuration, parseDurationList } from '@countersign/server/config';
import { notificationAge } from '@countersign/server/integrations/intercom';
import { preferredWaitMs } from '@countersign/server/http';
import { AppError } from '@countersign/server/approvals';
import { seed000ZendeskTrigger, seed001Async, seed001Sample } from '../support/seeds';

describe('intake body', () => {
  it.each([
    ['seed 000 trigger', seed000ZendeskTrigger],
    ['seed 001 sample', seed001Sample],
    ['seed 001 async', seed001Async],
  ])('accepts the %s verbatim', (_name, body) => {
    expect(IntakeBody.safeParse(body).success).toBe(true);
  });

  it('defaults risk to medium and priority to normal, and reads risk case-insensitively', () => {
    expect(IntakeBody.parse(seed001Sample)).toMatchObject({ riskLevel: 'medium', priority: 'normal' });
    expect(IntakeBody.parse({ ...seed001Sample, riskLevel: 'CRITICAL' }).riskLevel).toBe('critical');
    expect(IntakeBody.safeParse({ ...seed001Sample, riskLevel: 'extreme' }).success).toBe(false);
  });

  it('refuses differing webhookUrl and callbackUrl, and non-http URLs', () => {
    expect(IntakeBody.safeParse({ ...seed001Sample, webhookUrl: 'https://a.example/x', callbackUrl: 'https://b.example/x' }).success).toBe(false);
    expect(IntakeBody.safeParse({ ...seed001Sample, callbackUrl: 'ftp://a.example/x' }).success).toBe(false);
    expect(IntakeBody.safeParse({ ...seed001Sample, callbackUrl: 'https://user:pw@a.example/x' }).success).toBe(false);
    expect(IntakeBody.safeParse({ ...seed001Sample, callbackUrl: 'https://a.example/x', webhookUrl: 'https://a.example/x' }).success).toBe(true);
  });

  it('refuses details that are not an object or are nested too deeply', () => {
    expect(IntakeBody.safeParse({ ...seed001Sample, details: [] }).success).toBe(false);
    expect(IntakeBody.safeParse({ ...seed001Sample, details: 'x' }).success).toBe(false);
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < MAX_JSON_DEPTH + 1; i++) deep = { d: deep };
    expect(jsonDepth(deep)).toBe(MAX_JSON_DEPTH + 2);
    expect(IntakeBody.safeParse({ ...seed001Sample, details: deep }).success).toBe(false);
  });
});

describe('decision body', () => {
  const reviewer = { id: 381, name: 'Ana', via: 'zendesk' };
  it('accepts numeric reviewer ids as strings', () => {
    expect(DecisionBody.parse({ decision: 'approve', reviewer }).reviewer?.id).toBe('381');
  });

  it('refuses unknown fields, and modifiedDetails on a rejection', () => {
    expect(DecisionBody.safeParse({ decision: 'approve', reviewer, approved: true }).success).toBe(false);
    expect(DecisionBody.safeParse({ decision: 'reject', reviewer, modifiedDetails: { a: 1 } }).success).toBe(false);
    expect(DecisionBody.safeParse({ decision: 'maybe', reviewer }).success).toBe(false);
    expect(DecisionBody.safeParse({ decision: 'approve', reviewer: { ...reviewer, via: 'carrier-pigeon' } }).success).toBe(false);
  });
});

describe('context derivation', () => {
  it('reads the ticket or conversation from the details', () => {
    expect(deriveContext(null, { ticketId: '4512' })).toEqual({ platform: 'zendesk', ticketId: '4512' });
    expect(deriveContext(null, { ticket_id: 9921 })).toEqual({ platform: 'zendesk', ticketId: '9921' });
    expect(deriveContext(null, { conversationId: '77' })).toEqual({ platform: 'intercom', conversationId: '77' });
    expect(deriveContext(null, { conversation_id: '78' })).toEqual({ platform: 'intercom', conversationId: '78' });
    expect(deriveContext(null, { other: 1 })).toBeNull();
    expect(deriveContext({ platform: 'intercom', conversationId: '1' }, { ticketId: '2' })).toEqual({ platform: 'intercom', conversationId: '1' });
  });
});

describe('cursors', () => {
  it('round-trips a position and refuses anything else', () => {
    const position = { createdAt: 1_790_000_000_000, id: 'apr_01m84s3ssrr83ea26r2ar2de9p' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
    for (const bad of ['x', '!!', Buffer.from('[1,2]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[-1,"apr_01m84s3ssrr83ea26r2ar2de9p"]').toString('base64url')]) {
      expect(() => decodeCursor(bad)).toThrow(AppError);
    }
  });
});

describe('request fingerprints', () => {
  it('ignores key order and the wait budget, but not content', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
    expect(requestHash({ action: 'x', maxWaitMs: 1 })).toBe(requestHash({ maxWaitMs: 5000, action: 'x' }));
    expect(requestHash({ action: 'x' })).not.toBe(requestHash({ action: 'y' }));
  });
});

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', maxWaitMs: 25_000, allowPrivateCallbacks: false, deliveryTimeoutMs: 15_000, bodyLimitBytes: 256 * 1024, playground: true });
    expect(config.retrySchedule).toEqual([5000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(config).toMatchObject({ deliveryConcurrency: 32, deliveryPerWorkspace: 16, deliveryPerHost: 8, deliveryHostCooldownMs: 5000 });
  });

  it('reads the delivery caps and refuses a cap of zero', () => {
    expect(loadConfig({ COUNTERSIGN_DELIVERY_PER_WORKSPACE: '4', COUNTERSIGN_DELIVERY_PER_HOST: '2', COUNTERSIGN_DELIVERY_HOST_COOLDOWN: '30s' })).toMatchObject({
      deliveryPerWorkspace: 4, deliveryPerHost: 2, deliveryHostCooldownMs: 30_000,
    });
    expect(() => loadConfig({ COUNTERSIGN_DELIVERY_PER_HOST: '0' })).toThrow(/COUNTERSIGN_DELIVERY_PER_HOST/);
  });

  it('explains what is wrong with bad values', () => {
    expect(() => loadConfig({ PORT: 'eighty', COUNTERSIGN_RETRY_SCHEDULE: '5 parsecs' })).toThrow(/PORT[\s\S]*COUNTERSIGN_RETRY_SCHEDULE/);
    expect(() => loadConfig({ COUNTERSIGN_BOOTSTRAP_CALLBACK_SECRET: 'plain' })).toThrow(/whsec_/);
  });

  it('parses durations and Prefer: wait', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('soon')).toBeNull();
    expect(parseDurationList('5s, 5m')).toEqual([5000, 300_000]);
    expect(preferredWaitMs('wait=10')).toBe(10_000);
    expect(preferredWaitMs('respond-async, wait=3')).toBe(3000);
    expect(preferredWaitMs('handling=lenient')).toBeNull();
    expect(preferredWaitMs('wait=abc')).toBeNull();
  });

  it('reads COUNTERSIGN_EVENT_DEDUP_WINDOW as a duration of at least an hour (default 7 days)', () => {
    expect(loadConfig({}).eventDedupWindowMs).toBe(7 * 24 * 3600 * 1000);
    expect(loadConfig({ COUNTERSIGN_EVENT_DEDUP_WINDOW: '30d' }).eventDedupWindowMs).toBe(30 * 24 * 3600 * 1000);
    expect(() => loadConfig({ COUNTERSIGN_EVENT_DEDUP_WINDOW: '30m' })).toThrow(/COUNTERSIGN_EVENT_DEDUP_WINDOW: must be at least 1h/);
    expect(() => loadConfig({ COUNTERSIGN_EVENT_DEDUP_WINDOW: 'a week' })).toThrow(/COUNTERSIGN_EVENT_DEDUP_WINDOW/);
  });

  it('judges an Intercom notification by its created_at against the window, failing closed', () => {
    const window = 7 * 24 * 3600 * 1000;
    const now = 1_800_000_000_000;
    const seconds = now / 1000;
    expect(notificationAge(seconds - 7 * 24 * 3600 + 1, now, window)).toBe('fresh');
    expect(notificationAge(seconds - 7 * 24 * 3600, now, window)).toBe('too_old');
    expect(notificationAge(seconds + 300, now, window)).toBe('fresh');
    expect(notificationAge(seconds + 301, now, window)).toBe('from_the_future');
    for (const undated of [undefined, null, '1800000000', 0, -5, Number.NaN, Number.POSITIVE_INFINITY, {}]) expect(notificationAge(undated, now, window)).toBe('undated');
    // The record outlives the window by the skew it allows, so an accepted replay always finds it.
    expect(dedupRecordRetentionMs(window)).toBe(window + 300_000);
  });

  it('reads empty variables as unset', () => {
    expect(loadConfig({ PORT: '', COUNTERSIGN_SECRET_KEY: ' ' })).toMatchObject({ port: 8080, secretKey: undefined });
  });

  it('turns the playground off in production unless asked for', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).playground).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', COUNTERSIGN_PLAYGROUND: 'true' }).playground).toBe(true);
  });
});
