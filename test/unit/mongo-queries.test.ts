// What the MongoDB adapter sends, without a server: mongoose builds, sanitizes and casts each query as
// in production, and stubs in place of the driver's collection methods receive it. Properties that only
// a server can show (which index a query uses) are proven in test/contract/mongo-adapter.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Schema } from 'mongoose';
import { approvalSchema, IDEMPOTENCY_INDEX } from '../../server/src/store/mongo/models';
import { answerDriverCalls, offlineMongoStore, sentForm, type OfflineMongoStore } from '../support/offline-mongo-store';

function declaredIndex(schema: Schema, name: string): Record<string, unknown> {
  const found = schema.indexes().find(([, options]) => options.name === name);
  if (!found) throw new Error(`no index ${name}`);
  return found[1] as Record<string, unknown>;
}

describe('mongo queries', () => {
  let offline: OfflineMongoStore;
  beforeEach(() => {
    offline = offlineMongoStore();
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
});
