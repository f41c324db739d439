// The MongoDB adapter's correctness rests on indexes (idempotency, event-id claims, retention). These
// checks read the schemas' declared indexes, so they run without a MongoDB server.
import { describe, expect, it } from 'vitest';
import type { Schema } from 'mongoose';
import {
  apiKeySchema,
  approvalSchema,
  deliverySchema,
  eventSchema,
  processedEventSchema,
  sessionHandoffSchema,
  ttlIndexChange,
  workspaceSchema,
} from '@countersign/server/store/mongo';

type Declared = ReturnType<Schema['indexes']>[number];

function indexOn(schema: Schema, fields: Record<string, 1 | -1>): Declared | undefined {
  return schema.indexes().find(([keys]) => JSON.stringify(keys) === JSON.stringify(fields));
}

describe('mongo schema indexes', () => {
  it('makes an idempotency key unique per workspace, only where a key is set', () => {
    const index = indexOn(approvalSchema, { workspaceId: 1, idempotencyKey: 1 });
    expect(index).toBeDefined();
    expect(index![1]).toMatchObject({ unique: true, partialFilterExpression: { idempotencyKey: { $type: 'string' } } });
  });

  it('lets a platform event id be claimed once per source', () => {
    const index = indexOn(processedEventSchema, { source: 1, eventId: 1 });
    expect(index).toBeDefined();
    expect(index![1]).toMatchObject({ unique: true });
  });

  it('expires processed-event claims on a date field by an index kept out of the schema (its expiry follows the setting)', () => {
    expect(indexOn(processedEventSchema, { claimedAtDate: 1 })).toBeUndefined();
    expect(processedEventSchema.path('claimedAtDate').instance).toBe('Date');
  });

  it('creates a missing TTL index, changes a different expiry in place, and leaves a matching one alone', () => {
    const key = { claimedAtDate: 1 };
    expect(ttlIndexChange(undefined, 604_800)).toBe('create');
    expect(ttlIndexChange(undefined, undefined)).toBe('create');
    expect(ttlIndexChange({ key, expireAfterSeconds: 604_800 }, 2_592_000)).toBe('collMod');
    expect(ttlIndexChange({ key, expireAfterSeconds: 604_800 }, 604_800)).toBe('none');
    // Without a setting (the admin CLI) an existing index is never changed.
    expect(ttlIndexChange({ key, expireAfterSeconds: 2_592_000 }, undefined)).toBe('none');
  });

  it('lets MongoDB drop sign-in handoffs nobody collected, at their expiry', () => {
    expect(indexOn(sessionHandoffSchema, { expiresAtDate: 1 })?.[1]).toMatchObject({ expireAfterSeconds: 0 });
    expect(sessionHandoffSchema.path('expiresAtDate').instance).toBe('Date');
    expect(indexOn(sessionHandoffSchema, { expiresAt: 1 })).toBeDefined();
  });

  it('keeps workspace names and key hashes unique', () => {
    expect(indexOn(workspaceSchema, { name: 1 })?.[1]).toMatchObject({ unique: true });
    expect(indexOn(apiKeySchema, { hash: 1 })?.[1]).toMatchObject({ unique: true });
  });

  it('indexes the listing, overdue, settlement, audit and outbox queries', () => {
    expect(indexOn(approvalSchema, { workspaceId: 1, createdAt: -1, _id: -1 })).toBeDefined();
    expect(indexOn(approvalSchema, { workspaceId: 1, contextPlatform: 1, contextId: 1, createdAt: -1, _id: -1 })).toBeDefined();
    expect(indexOn(approvalSchema, { status: 1, expiresAt: 1 })).toBeDefined();
    expect(indexOn(approvalSchema, { updatedAt: 1 })).toBeDefined();
  });

  it('indexes an approval\'s events and deliveries in the order they are listed, _id tie-break included, so no sort runs', () => {
    expect(indexOn(eventSchema, { workspaceId: 1, approvalId: 1, seq: 1, _id: 1 })).toBeDefined();
    expect(indexOn(deliverySchema, { workspaceId: 1, approvalId: 1, createdAt: 1, _id: 1 })).toBeDefined();
  });

  it('indexes the claim’s queues by workspace and host with their unleased part in due order, so leased deliveries are never read', () => {
    expect(indexOn(deliverySchema, { status: 1, workspaceId: 1, host: 1, leaseUntil: 1, nextAttemptAt: 1 })).toBeDefined();
  });

  it('indexes pending deliveries by lease, then due time: the next due time, and leases that ran out', () => {
    expect(indexOn(deliverySchema, { status: 1, leaseUntil: 1, nextAttemptAt: 1 })).toBeDefined();
  });

  it('never declares an index under the name of one an earlier version declared with other keys (createIndexes would fail)', () => {
    const names = [eventSchema, deliverySchema].flatMap((schema) => schema.indexes().map(([, options]) => options.name));
    for (const earlier of ['events_approval', 'deliveries_due', 'deliveries_queues', 'deliveries_approval']) expect(names).not.toContain(earlier);
  });
});
