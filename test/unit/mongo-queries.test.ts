// What the MongoDB adapter sends, without a server: mongoose builds, sanitizes and casts each query as
// in production, and stubs in place of the driver's collection methods receive it. Properties that only
// a server can show (which index a query uses) are proven in test/contract/mongo-adapter.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mongo, type Schema } from 'mongoose';
import { approvalDocument, type DeliveryDocument } from '@countersign/server/store/mongo';
import { approvalSchema, eventSchema, IDEMPOTENCY_INDEX } from '@countersign/server/store/mongo';
import { answerDriverCalls, offlineMongoStore, sentForm, sessionsWithoutServer, type OfflineMongoStore } from '../support/offline-mongo-store';
import { approvalRecord, eventRecord } from '../support/store-records';
import { AppError } from '@countersign/server/approvals';
import type { ApprovalRecord } from '@countersign/server/approvals';

function declaredIndex(schema: Schema, name: string): Record<string, unknown> {
  const found = schema.indexes().find(([, options]) => options.name === name);
  if (!found) throw new Error(`no index ${name}`);
  return found[1] as Record<string, unknown>;
}

describe('mongo queries', () => {
  let offline: OfflineMongoStore;
  beforeEach(() => {
    offline = offlineMongoStore({ clock: 'caller' });
  });
  afterEach(async () => {
    await offline.close();
  });

  it('looks an idempotency key up with a filter that lies within the unique index\'s partial filter', async () => {
    const sent: Array<Record<string, unknown>> = [];
    answerDriverCalls(offline.models.approvals, { findOne: async (filter: Record<string, unknown>) => (sent.push(sentForm(filter)), null) });
    expect(await offline.store.approvals.findByIdempotencyKey('ws_1', 'key-1')).toBeNull();
    expect(sent).toEqual([{ workspaceId: 'ws_1', idempotencyKey: { $eq: 'key-1', $type: 'string' } }]);
    // MongoDB uses a partial index only when the query restates (a subset of) its filter, path by path.
    const partial = declaredIndex(approvalSchema, IDEMPOTENCY_INDEX).partialFilterExpression as Record<string, Record<string, unknown>>;
    for (const [path, condition] of Object.entries(partial)) expect(sent[0]![path]).toMatchObject(condition);
  });

  it('reads the change feed after a sequence number with a filter that lies within the feed indexes\' partial filter', async () => {
    const sent: Array<{ filter: Record<string, unknown>; sort: unknown }> = [];
    answerDriverCalls(offline.models.events, { find: (filter: Record<string, unknown>, options: { sort?: unknown }) => (sent.push(sentForm({ filter, sort: options.sort })), { toArray: async () => [] }) });
    expect(await offline.store.changes.since(5, 10)).toEqual([]);
    expect(await offline.store.changes.since(5, 10, 'ws_1')).toEqual([]);
    expect(sent).toEqual([
      { filter: { feedSeq: { $gt: 5, $exists: true } }, sort: { feedSeq: 1 } },
      { filter: { workspaceId: 'ws_1', feedSeq: { $gt: 5, $exists: true } }, sort: { feedSeq: 1 } },
    ]);
    for (const name of ['events_feed', 'events_feed_workspace']) {
      const partial = declaredIndex(eventSchema, name).partialFilterExpression as Record<string, Record<string, unknown>>;
      for (const { filter } of sent) for (const [path, condition] of Object.entries(partial)) expect(filter[path]).toMatchObject(condition);
    }
  });

  /** The driver's find calls on deliveries, with their filter, sort and limit, answered by `answer`. */
  function findsOnDeliveries(answer: (filter: Record<string, unknown>) => Partial<DeliveryDocument>[] = () => []) {
    const finds: Array<{ filter: Record<string, unknown>; sort: unknown; limit: unknown }> = [];
    const aggregates: unknown[] = [];
    answerDriverCalls(offline.models.deliveries, {
      distinct: async (field: string) => (field === 'workspaceId' ? ['ws_1'] : ['a.example.com']),
      find: (filter: Record<string, unknown>, options: { sort?: unknown; limit?: unknown }) => {
        finds.push(sentForm({ filter, sort: options.sort, limit: options.limit }));
        return { toArray: async () => answer(filter) };
      },
      aggregate: (pipeline: unknown) => (aggregates.push(pipeline), { toArray: async () => [] }),
      findOneAndUpdate: async () => null,
    });
    return { finds, aggregates };
  }

  it('reads each queue head from its unleased part only, and the leases that ran out apart, so live leases are never read', async () => {
    const { finds } = findsOnDeliveries();
    await offline.store.outbox.claim({ now: 5000, owner: 'w1', leaseMs: 30_000, limit: 10 });
    expect(finds).toEqual(expect.arrayContaining([
      { filter: { status: 'pending', workspaceId: 'ws_1', host: 'a.example.com', leaseUntil: null, nextAttemptAt: { $lte: 5000 } }, sort: { nextAttemptAt: 1 }, limit: 10 },
      { filter: { status: 'pending', leaseUntil: { $lte: 5000 } }, sort: { leaseUntil: 1 }, limit: 10 },
    ]));
    for (const { filter } of finds) expect(filter).not.toHaveProperty('$or');
  });

  it('finds the next due time with two short index reads, not a pass over every pending delivery, and skips exclusions', async () => {
    const doc = (workspaceId: string, host: string, nextAttemptAt: number, leaseUntil: number | null = null) => ({ workspaceId, host, target: `https://${host}/cb`, nextAttemptAt, leaseUntil });
    const { finds, aggregates } = findsOnDeliveries((filter) => (filter.leaseUntil === null
      ? [doc('ws_busy', 'a.example.com', 100), doc('ws_1', 'closed.example.com', 200), doc('ws_1', 'a.example.com', 9000)]
      : [doc('ws_1', 'a.example.com', 50, 7000)]));
    const due = await offline.store.outbox.nextDueAt({ workspaceIds: ['ws_busy'], hosts: ['closed.example.com'] });
    expect(due).toBe(7000);
    expect(aggregates).toEqual([]);
    expect(finds).toEqual([
      { filter: { status: 'pending', leaseUntil: null }, sort: { nextAttemptAt: 1 }, limit: 64 },
      { filter: { status: 'pending', leaseUntil: { $ne: null } }, sort: { leaseUntil: 1 }, limit: 64 },
    ]);
  });

  /** The driver's approvals calls for a create that loses the key `race` to `winner`, seen by majority reads after `hiddenReads` reads. */
  function racedIdempotencyKey(winner: ApprovalRecord | null, hiddenReads: number) {
    sessionsWithoutServer(offline);
    const reads = { count: 0 };
    answerDriverCalls(offline.models.approvals, {
      findOne: async () => (++reads.count > hiddenReads && winner ? approvalDocument(winner) : null),
      insertOne: async () => {
        throw new mongo.MongoServerError({ ok: 0, code: 11000, codeName: 'DuplicateKey', errmsg: 'E11000 duplicate key error collection: t.approvals index: approvals_idempotency dup key: { workspaceId: "ws_1", idempotencyKey: "race" }' });
      },
    });
    return reads;
  }

  it('answers the approval that won a raced idempotency key once a majority holds it, though the first majority read misses it', async () => {
    const winner = approvalRecord('ws_1', { idempotencyKey: 'race' });
    // Not in the transaction's snapshot, then not yet in the majority's view for two more reads.
    racedIdempotencyKey(winner, 3);
    const loser = approvalRecord('ws_1', { idempotencyKey: 'race' });
    const result = await offline.store.approvals.create(loser, [eventRecord(loser, 'approval.created')]);
    expect(result).toEqual({ created: false, approval: winner });
  });

  it('answers 503 store_unavailable with Retry-After when the raced key\'s winner never reaches a majority in a majority wait, not the duplicate-key error', async () => {
    await offline.close();
    offline = offlineMongoStore({ clock: 'caller' }, 200); // wtimeoutMS 200 (afterEach closes it)
    const reads = racedIdempotencyKey(null, Infinity);
    const loser = approvalRecord('ws_1', { idempotencyKey: 'race' });
    const refused = await offline.store.approvals.create(loser, [eventRecord(loser, 'approval.created')]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ kind: 'unavailable', code: 'store_unavailable', details: { headers: { 'retry-after': '1' } } });
    // Looked again, after the transaction's own read, before giving up.
    expect(reads.count).toBeGreaterThan(2);
  });
});
