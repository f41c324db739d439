import { describe, expect, it } from 'vitest';
import { seed000Filled, seed001Sample } from '../support/seeds';
import { withServerAndReceiver } from '../support/server-and-receiver';
import { call, INTAKE_KEY, REVIEW_KEY, reviewer, startTestServer } from '../support/test-server';

describe('expiry and cancellation', () => {
  const { server, receiver } = withServerAndReceiver();

  it('expires an undecided request promptly and sends EXPIRED', async () => {
    const { approval } = await server.intake.createApproval({ ...seed000Filled('900', `${receiver.url}/cb`), expiresInSeconds: 1 });
    const [callback] = await receiver.waitFor(() => receiver.for(approval.approvalId).length === 1, 10_000).then(() => receiver.for(approval.approvalId));
    expect(callback!.json).toMatchObject({ status: 'EXPIRED', decidedBy: null, decisionNote: 'Expired before a reviewer decided.' });
    expect(callback!.at - Date.parse(approval.expiresAt)).toBeLessThan(5000);
    expect((await server.intake.getApproval(approval.approvalId)).status).toBe('expired');
    const late = await call(`${server.url}/api/approvals/${approval.approvalId}/decision`, { headers: { authorization: `Bearer ${REVIEW_KEY}` }, json: { decision: 'approve', reviewer } });
    expect(late.status).toBe(409);
    expect(late.body.approval.status).toBe('expired');
  });

  it('refuses a decision that arrives after expiresAt even before the sweeper has run', async () => {
    // Sweeper effectively off: only the decision path can notice the expiry.
    const quiet = await startTestServer({ env: { COUNTERSIGN_POLL_INTERVAL: '1h' } });
    try {
      const { approval } = await quiet.intake.createApproval({ ...seed000Filled('902', `${receiver.url}/cb`), expiresInSeconds: 1 });
      while (Date.now() <= Date.parse(approval.expiresAt)) await new Promise((r) => setTimeout(r, 5));
      expect((await quiet.intake.getApproval(approval.approvalId)).status).toBe('pending');
      const late = await call(`${quiet.url}/api/approvals/${approval.approvalId}/decision`, { headers: { authorization: `Bearer ${REVIEW_KEY}` }, json: { decision: 'approve', reviewer } });
      expect(late.status).toBe(409);
      expect(late.body.approval.status).toBe('expired');
      await receiver.waitFor(() => receiver.for(approval.approvalId).length === 1);
      expect(receiver.for(approval.approvalId)[0]!.json.status).toBe('EXPIRED');
    } finally {
      await quiet.close();
    }
  });

  it('lets the requester cancel a pending request, which sends CANCELLED, and only once', async () => {
    const { approval } = await server.intake.createApproval(seed000Filled('901', `${receiver.url}/cb`));
    const cancelled = await server.intake.cancelApproval(approval.approvalId, { reason: 'Customer withdrew the request' });
    expect(cancelled).toMatchObject({ status: 'cancelled', decisionNote: 'Customer withdrew the request' });
    await receiver.waitFor(() => receiver.for(approval.approvalId).length === 1);
    expect(receiver.for(approval.approvalId)[0]!.json).toMatchObject({ status: 'CANCELLED', decisionNote: 'Customer withdrew the request' });
    const again = await call(`${server.url}/api/approvals/${approval.approvalId}/cancel`, { method: 'POST', headers: { 'x-api-key': INTAKE_KEY } });
    expect(again.status).toBe(409);
    const decide = await call(`${server.url}/api/approvals/${approval.approvalId}/decision`, { headers: { authorization: `Bearer ${REVIEW_KEY}` }, json: { decision: 'approve', reviewer } });
    expect(decide.status).toBe(409);
  });

  it('cannot cancel what a reviewer already decided', async () => {
    const { approval } = await server.intake.createApproval(seed001Sample);
    await server.review.decide(approval.approvalId, { decision: 'approve', reviewer });
    const response = await call(`${server.url}/api/approvals/${approval.approvalId}/cancel`, { headers: { 'x-api-key': INTAKE_KEY }, json: {} });
    expect(response.status).toBe(409);
    expect(response.body.approval.status).toBe('approved');
  });
});
