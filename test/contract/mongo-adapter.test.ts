// The MongoDB adapter's own guarantees, beyond the store contract: index use, read and write concerns,
// bounds, the server's clock, claims that stay cheap. They need a replica set: the suite runs whenever
// MONGODB_URI is set, and is reported as skipped otherwise.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { idempotencyFilter } from '../../server/src/store/mongo/approvals';
import { STORE_BOUNDS } from '../../server/src/store/mongo/connection';
import { IDEMPOTENCY_INDEX } from '../../server/src/store/mongo/models';
import { isStoreUnavailable } from '../../server/src/store/store-unavailable';
import { withOption } from '../support/mongo-database-uri';
import { FAIL_POINTS_UNAVAILABLE, failCommand, MONGO_SKIP_REASON, MONGODB_URI, openMongoTestStore, planStages, watchCommands, type MongoTestStore } from '../support/mongo-test-store';
import { approvalRecord, approveRequest, deliveryRecord, eventRecord, workspaceRecord } from '../support/store-records';

const uri = MONGODB_URI;

if (!uri) {
  console.warn(`[mongo adapter] skipped: ${MONGO_SKIP_REASON}`);
  describe('mongo adapter', () => {
    it.skip(`skipped: ${MONGO_SKIP_REASON}`, () => {});
  });
} else {
  describe('mongo adapter', () => {
    let fixture: MongoTestStore;
    afterEach(async () => {
      await fixture?.cleanup();
    });

    describe('idempotency keys', () => {
      beforeEach(async () => {
        fixture = await openMongoTestStore(uri);
      });

      it('finds a key through the unique partial index, reading one document however many the workspace holds', async () => {
        const { store, models } = fixture;
        const ws = workspaceRecord('acme');
        await store.workspaces.create(ws);
        for (let i = 0; i < 60; i++) {
          const a = approvalRecord(ws.id, { idempotencyKey: i % 10 === 0 ? `key-${i}` : null });
          await store.approvals.create(a, eventRecord(a, 'approval.created'));
        }
        // The filter create() also uses inside its transaction.
        const explain = await models.approvals.findOne(idempotencyFilter(ws.id, 'key-30')).explain('executionStats');
        const plan = Array.isArray(explain) ? explain[0] : explain;
        expect(planStages(plan)).toContainEqual(expect.objectContaining({ stage: 'IXSCAN', indexName: IDEMPOTENCY_INDEX }));
        expect(planStages(plan).map((s) => s.stage)).not.toContain('COLLSCAN');
        expect((plan as { executionStats: { totalDocsExamined: number } }).executionStats.totalDocsExamined).toBeLessThanOrEqual(1);
        expect((await store.approvals.findByIdempotencyKey(ws.id, 'key-30'))?.idempotencyKey).toBe('key-30');
      });
    });

    describe('read concern', () => {
      beforeEach(async () => {
        fixture = await openMongoTestStore(uri, { monitorCommands: true });
      });

      it('reads with majority outside transactions: the reads that release waiters, answer polls and claim deliveries', async () => {
        const { store, db } = fixture;
        const ws = workspaceRecord('acme');
        await store.workspaces.create(ws);
        const a = approvalRecord(ws.id, { idempotencyKey: 'k' });
        await store.approvals.create(a, eventRecord(a, 'approval.created'));
        await store.approvals.transition(approveRequest(a, Date.now(), [deliveryRecord(a, { nextAttemptAt: Date.now() - 1000 })]));
        const watched = watchCommands(db);
        try {
          await store.approvals.get(ws.id, a.id);
          await store.approvals.findByIdempotencyKey(ws.id, 'k');
          await store.approvals.listSettledSince(0);
          expect(await store.outbox.claim({ now: Date.now(), owner: 'w1', leaseMs: 30_000, limit: 10 })).toHaveLength(1);
          await store.outbox.nextDueAt();
        } finally {
          watched.stop();
        }
        const reads = watched.seen.filter((e) => ['find', 'distinct', 'aggregate', 'count'].includes(e.commandName) && e.command.txnNumber === undefined);
        expect(reads.map((e) => e.commandName)).toEqual(expect.arrayContaining(['find', 'distinct']));
        for (const read of reads) expect(read.command.readConcern, read.commandName).toMatchObject({ level: 'majority' });
      });
    });

    describe('bounds', () => {
      /** An approval ready to be decided, in a fresh workspace. */
      async function pendingApproval() {
        const ws = workspaceRecord('acme');
        await fixture.store.workspaces.create(ws);
        const a = approvalRecord(ws.id);
        await fixture.store.approvals.create(a, eventRecord(a, 'approval.created'));
        return a;
      }

      it('gives a decision up within its bound, with an error answered 503, when the majority never acknowledges its commit', async (ctx) => {
        fixture = await openMongoTestStore(uri);
        const a = await pendingApproval();
        const off = await failCommand(fixture.db, {
          failCommands: ['commitTransaction'],
          writeConcernError: { code: 64, codeName: 'WriteConcernFailed', errmsg: 'waiting for replication timed out', errInfo: { wtimeout: true } },
        });
        if (!off) return ctx.skip(FAIL_POINTS_UNAVAILABLE);
        const started = performance.now();
        try {
          const error = await fixture.store.approvals.transition(approveRequest(a, Date.now())).catch((e: unknown) => e);
          expect(isStoreUnavailable(error), String(error)).toBe(true);
        } finally {
          await off();
        }
        expect(performance.now() - started).toBeLessThan(STORE_BOUNDS.transactionMs + 5000);
      });

      it('gives a decision up within its bound when the primary stops answering its commit', async (ctx) => {
        // A short socket bound (MONGODB_URI may set one) stands for a primary that went silent.
        fixture = await openMongoTestStore(withOption(uri, 'socketTimeoutMS', '1000'));
        const a = await pendingApproval();
        const off = await failCommand(fixture.db, { failCommands: ['commitTransaction'], blockConnection: true, blockTimeMS: 3000 });
        if (!off) return ctx.skip(FAIL_POINTS_UNAVAILABLE);
        const started = performance.now();
        try {
          const error = await fixture.store.approvals.transition(approveRequest(a, Date.now())).catch((e: unknown) => e);
          expect(isStoreUnavailable(error), String(error)).toBe(true);
        } finally {
          await off();
        }
        expect(performance.now() - started).toBeLessThan(STORE_BOUNDS.transactionMs + 5000);
      });
    });
  });
}
