// A MongoDB failover surfaces as driver errors (a primary stepping down, a transaction to retry, a
// commit of unknown outcome, a pool cleared). Automations retry on 503, so each must be answered 503
// with Retry-After and the usual error shape, never 500. The store here is SQLite; its write method
// throws the MongoDB driver's own error objects, as the Mongo adapter would pass them on.
import { createRequire } from 'node:module';
import { mongo } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed001Sample } from '../support/seeds';
import { call, INTAKE_KEY, startTestServer, type TestServer } from '../support/test-server';

const { PoolClearedError } = createRequire(import.meta.url)('mongodb/lib/cmap/errors') as { PoolClearedError: new (pool: { address: string }) => Error };

function labelled<T extends mongo.MongoError>(error: T, label: string): T {
  error.addErrorLabel(label);
  return error;
}

const FAILOVER_ERRORS: Array<[string, () => Error]> = [
  ['NotWritablePrimary, retryable', () => new mongo.MongoServerError({ ok: 0, code: 10107, codeName: 'NotWritablePrimary', errmsg: 'not primary', errorLabels: ['RetryableWriteError'] })],
  ['PrimarySteppedDown', () => new mongo.MongoServerError({ ok: 0, code: 189, codeName: 'PrimarySteppedDown', errmsg: 'primary stepped down' })],
  ['a transient transaction error', () => new mongo.MongoServerError({ ok: 0, code: 112, codeName: 'WriteConflict', errmsg: 'write conflict', errorLabels: ['TransientTransactionError'] })],
  ['a commit of unknown outcome', () => labelled(new mongo.MongoServerError({ ok: 0, code: 50, codeName: 'MaxTimeMSExpired', errmsg: 'operation exceeded time limit' }), 'UnknownTransactionCommitResult')],
  ['a cleared connection pool', () => new PoolClearedError({ address: 'db-1:27017' })],
  ['a write-concern error of a failover', () => new mongo.MongoWriteConcernError({ ok: 1, writeConcernError: { code: 11602, codeName: 'InterruptedDueToReplStateChange', errmsg: 'interrupted' } } as never)],
];

describe('store failover errors over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  for (const [name, make] of FAILOVER_ERRORS) {
    it(`answers intake 503 with Retry-After for ${name}`, async () => {
      const store = server.app.store;
      const original = store.approvals.create;
      store.approvals.create = async () => { throw make(); };
      try {
        const response = await call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY, 'idempotency-key': `failover-${name}` }, json: seed001Sample });
        expect(response.status).toBe(503);
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(response.body.error).toMatchObject({ code: expect.stringMatching(/^store_(unavailable|write_failed)$/), issues: [] });
      } finally {
        store.approvals.create = original;
      }
    });
  }
});
