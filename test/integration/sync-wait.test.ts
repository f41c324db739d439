import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed001Async, seed001Sample } from '../support/seeds';
import { call, INTAKE_KEY, reviewer, startTestServer, type TestServer } from '../support/test-server';

async function firstPending(server: TestServer, ticketId: string) {
  for (let i = 0; i < 500; i++) {
    const page = await server.review.listApprovals({ ticketId, status: 'pending' });
    if (page.items[0]) return page.items[0];
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('request never appeared');
}

describe('synchronous wait', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { COUNTERSIGN_MAX_WAIT_MS: '3000' } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers `rejected` with the decision note when a reviewer rejects within the wait (seed 001)', async () => {
    const body = { ...seed001Sample, details: { ...seed001Sample.details, ticket_id: 'w-1' }, maxWaitMs: 3000 };
    const waiting = call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY }, json: body });
    const pending = await firstPending(server, 'w-1');
    const decidedAt = Date.now();
    await server.review.decide(pending.approvalId, { decision: 'reject', note: 'Customer is in a long-term contract; escalate to retention team.', reviewer });
    const response = await waiting;
    const releasedAfter = Date.now() - decidedAt;
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ approvalId: pending.approvalId, status: 'rejected', modifiedDetails: null, decisionNote: 'Customer is in a long-term contract; escalate to retention team.' });
    // The in-process notification releases the waiter at once; well under the 3 s budget even on a slow machine.
    expect(releasedAfter).toBeLessThan(2500);
  });

  it('answers `pending` with the approval id when nobody decides in time', async () => {
    const started = Date.now();
    const response = await call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY }, json: { ...seed001Async, maxWaitMs: 300 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'pending', approvalId: expect.stringMatching(/^apr_/) });
  });

  it('honours Prefer: wait=N and says so, capped by COUNTERSIGN_MAX_WAIT_MS', async () => {
    const started = Date.now();
    const response = await call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY, prefer: 'wait=60' }, json: seed001Async });
    const waited = Date.now() - started;
    expect(response.status).toBe(201);
    expect(response.headers.get('preference-applied')).toBe('wait=3');
    expect(waited).toBeGreaterThanOrEqual(2900);
    expect(waited).toBeLessThan(10_000);
  });

  it('answers at once without a wait', async () => {
    const response = await call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY }, json: seed001Async });
    expect(response.status).toBe(201);
    expect(response.headers.get('preference-applied')).toBeNull();
  });

  it('lets a poller see the decision (GET /api/approvals/{id})', async () => {
    const { approval } = await server.intake.createApproval(seed001Async);
    expect((await server.intake.getApproval(approval.approvalId)).status).toBe('pending');
    await server.review.decide(approval.approvalId, { decision: 'approve', reviewer });
    const polled = await server.intake.getApproval(approval.approvalId);
    expect(polled).toMatchObject({ status: 'approved', decidedBy: reviewer, details: seed001Async.details });
    expect(Date.parse(polled.decidedAt!)).toBeGreaterThan(0);
  });
});

describe('synchronous wait across instances', () => {
  it('releases a waiter when the decision is taken on another instance sharing the store', async () => {
    const a = await startTestServer();
    const b = await startTestServer({ dataDir: a.dataDir });
    try {
      const body = { ...seed001Sample, details: { ...seed001Sample.details, ticket_id: 'x-1' }, maxWaitMs: 8000 };
      const waiting = call(`${a.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY }, json: body });
      const pending = await firstPending(b, 'x-1');
      await b.review.decide(pending.approvalId, { decision: 'approve', reviewer });
      const started = Date.now();
      const response = await waiting;
      expect(response.status).toBe(200);
      expect(response.body.status).toBe('approved');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await b.stop();
      await a.close();
    }
  });
});
