import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed001Async, seed001Sample } from '../support/seeds';
import { call, INTAKE_KEY, REVIEW_KEY, reviewer, startTestServer, type TestServer } from '../support/test-server';

describe('idempotency and concurrent decisions', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  const post = (body: unknown, key?: string) =>
    call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY, ...(key ? { 'idempotency-key': key } : {}) }, json: body });

  it('answers a retry with the same key and body with the original approval, creating nothing new', async () => {
    const first = await post(seed001Sample, 'retry-1');
    const again = await post({ ...seed001Sample, maxWaitMs: 0 }, 'retry-1');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.approvalId).toBe(first.body.approvalId);
    const page = await server.review.listApprovals({ ticketId: '9921' });
    expect(page.items.filter((a) => a.approvalId === first.body.approvalId)).toHaveLength(1);
  });

  it('answers a replay of a decided request with its decision', async () => {
    const first = await post(seed001Async, 'retry-2');
    await server.review.decide(first.body.approvalId, { decision: 'approve', reviewer });
    const again = await post(seed001Async, 'retry-2');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ approvalId: first.body.approvalId, status: 'approved' });
  });

  it('refuses the same key with a different body with 409', async () => {
    await post(seed001Sample, 'retry-3');
    const other = await post({ ...seed001Sample, summary: 'something else' }, 'retry-3');
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_key_reused');
  });

  it('creates one approval when retries with one key arrive together', async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, () => post(seed001Sample, 'retry-4')));
    expect(responses.every((r) => r.status === 201)).toBe(true);
    expect(new Set(responses.map((r) => r.body.approvalId)).size).toBe(1);
  });

  it('refuses an unusable Idempotency-Key', async () => {
    const response = await post(seed001Sample, 'x'.repeat(256));
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_idempotency_key');
  });

  it('lets exactly one of 20 concurrent decisions win; the rest get 409 with the current state', async () => {
    const { approval } = await server.intake.createApproval(seed001Sample);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(`${server.url}/api/approvals/${approval.approvalId}/decision`, {
          headers: { authorization: `Bearer ${REVIEW_KEY}` },
          json: { decision: i % 2 ? 'approve' : 'reject', note: `reviewer ${i}`, reviewer: { ...reviewer, id: String(i) } },
        }),
      ),
    );
    const winners = responses.filter((r) => r.status === 200);
    const losers = responses.filter((r) => r.status === 409);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    const winner = winners[0]!.body;
    for (const loser of losers) {
      expect(loser.body.error.code).toBe('already_decided');
      expect(loser.body.approval).toMatchObject({ status: winner.status, decidedBy: winner.decidedBy, decisionNote: winner.decisionNote });
    }
    const events = await server.review.listEvents(approval.approvalId);
    expect(events.items.filter((e) => e.type === 'approval.approved' || e.type === 'approval.rejected')).toHaveLength(1);
  });
});
