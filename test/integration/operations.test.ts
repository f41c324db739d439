import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbackReceiver } from '../support/callback-receiver';
import { seed000Filled, seed001Sample } from '../support/seeds';
import { CALLBACK_SECRET, call, INTAKE_KEY, REVIEW_KEY, reviewer, startTestServer, type TestServer } from '../support/test-server';

describe('health and readiness', () => {
  it('reports ready while the store answers, and 503 with the error shape when it does not', async () => {
    const server = await startTestServer();
    try {
      expect(await call(`${server.url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(await call(`${server.url}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready', store: 'sqlite' } });
      await server.app.store.close();
      const down = await call(`${server.url}/readyz`);
      expect(down.status).toBe(503);
      expect(down.body.error.code).toBe('store_unavailable');
      expect((await call(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('answers waiting requests with their current state and finishes in-flight deliveries before closing', async () => {
    const receiver = await new CallbackReceiver().start();
    const server = await startTestServer();
    try {
      const waiting = call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY }, json: { ...seed001Sample, maxWaitMs: 20_000 } });
      const { approval } = await server.intake.createApproval(seed000Filled('31', `${receiver.url}/slow`));
      receiver.reply({ status: 200, delayMs: 600 });
      await server.review.decide(approval.approvalId, { decision: 'approve', reviewer });
      await receiver.waitFor((r) => r.length === 1);
      const started = Date.now();
      await server.stop();
      const answered = await waiting;
      expect(answered.status).toBe(201);
      expect(answered.body.status).toBe('pending');
      expect(Date.now() - started).toBeLessThan(10_000);

      // The attempt in flight at shutdown was completed and recorded.
      const restarted = await startTestServer({ dataDir: server.dataDir });
      const attempts = (await restarted.intake.listEvents(approval.approvalId)).items.filter((e) => e.type === 'delivery.attempt');
      expect(attempts.map((e) => e.data.outcome)).toEqual(['delivered']);
      await restarted.close();
    } finally {
      await receiver.stop();
    }
  });
});

describe('logs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('write one JSON line per request with its request id, and never a key or secret', async () => {
    const created = await call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY, 'x-request-id': 'trace-123' }, json: seed001Sample });
    expect(created.headers.get('x-request-id')).toBe('trace-123');
    await call(`${server.url}/api/approvals/${created.body.approvalId}/decision`, { headers: { authorization: `Bearer ${REVIEW_KEY}` }, json: { decision: 'approve', reviewer } });
    await call(`${server.url}/api/approvals`, { headers: { authorization: `Bearer ${REVIEW_KEY}x` } });
    const weird = await call(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(weird.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const line = server.logs.find((l) => l.requestId === 'trace-123' && l.msg === 'request');
    expect(line).toMatchObject({ method: 'POST', path: '/api/webhooks/inbound', status: 201, key: `${INTAKE_KEY.slice(0, 14)}…` });
    const everything = server.rawLogs.join('\n');
    for (const secret of [INTAKE_KEY, REVIEW_KEY, CALLBACK_SECRET, CALLBACK_SECRET.slice(6)]) expect(everything).not.toContain(secret);
  });
});

describe('store contention', () => {
  it('answers 503 with Retry-After, not 500, while another process holds the SQLite write lock', async () => {
    const server = await startTestServer();
    const Database = (await import('better-sqlite3')).default;
    const path = await import('node:path');
    const blocker = new Database(path.join(server.dataDir, 'countersign.sqlite'));
    try {
      blocker.pragma('busy_timeout = 0');
      blocker.exec('BEGIN IMMEDIATE');
      // Countersign waits up to its 2 s busy timeout, then must give up cleanly.
      const response = await call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY }, json: seed001Sample });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(response.body.error.code).toBe('store_unavailable');
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    expect((await call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY }, json: seed001Sample })).status).toBe(201);
    await server.close();
  });
});
