// The MongoDB adapter's own guarantees, beyond the store contract: index use, read and write concerns,
// bounds, the server's clock, claims that stay cheap. They need a replica set: the suite runs whenever
// MONGODB_URI is set, and is reported as skipped otherwise.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { idempotencyFilter } from '../../server/src/store/mongo/approvals';
import { IDEMPOTENCY_INDEX } from '../../server/src/store/mongo/models';
import { MONGO_SKIP_REASON, MONGODB_URI, openMongoTestStore, planStages, type MongoTestStore } from '../support/mongo-test-store';
import { approvalRecord, eventRecord, workspaceRecord } from '../support/store-records';

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
  });
}
